"""`python -m seqviz.explorer --tiny DIR`: save tiny random BERT, GPT-2 and T5 models to try the Explorer."""

from .tiny import main

raise SystemExit(main())

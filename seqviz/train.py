"""`python -m seqviz.train`: retrain a built-in model (the command lives in seqviz.training.cli)."""

import sys

from .training.cli import main

if __name__ == "__main__":
    sys.exit(main())

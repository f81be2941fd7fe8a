"""The Explorer's side of a Hugging Face model: loading.py loads a local model folder (or a hub id, when the
machine is online) with eager attention and returns its attention maps for seqviz's figures; tiny.py saves
tiny random models to try the page offline (`python -m seqviz.explorer --tiny DIR`)."""

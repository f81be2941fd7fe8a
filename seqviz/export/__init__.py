"""The slide pack: `python -m seqviz.export --out DIR [--lang en|zh] [--sentence "..."]` renders the app's key
figures to PNG and SVG at 16:9 (see `slides.py` for the figures, `__main__.py` for the command)."""

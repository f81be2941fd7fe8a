"""Pure figure builders: numpy arrays + token labels in, plotly/altair figures out (no streamlit).

Import from the modules (attention, masks, style, ...). The package itself imports nothing: a package that
imports its own submodules can deadlock against a thread importing one of them directly.
"""

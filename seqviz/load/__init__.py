"""Load on a seqviz server without browsers: sessions that speak Streamlit's websocket protocol (protocol.py)."""

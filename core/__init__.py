"""CNN Transfer Lab core: plain Python, no Streamlit. Pages and the CLI (python -m core) both call into here."""

__version__ = "0.1.0"

"""handouts: one YAML resource analysis sheet in, print-ready PDF handouts out."""

__version__ = "0.1.0"

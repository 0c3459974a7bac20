"""The output stage of the data path (see README: How it works)."""

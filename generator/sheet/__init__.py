"""The sheet stage of the data path (see README: How it works)."""

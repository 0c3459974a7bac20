"""The batch stage of the data path (see docs/how-it-works.md)."""

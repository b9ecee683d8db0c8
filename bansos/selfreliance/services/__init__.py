"""Writes of the selfreliance app: the index (``index``), graduation (``graduation``)."""

"""Writes of the linkage app: deduplication runs and the review of their pairs."""

"""Writes of the cash app: setup (institutions, schemes, accounts), cycles, payments, reconciliation."""

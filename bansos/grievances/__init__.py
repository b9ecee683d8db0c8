"""Grievances: categories, channels, service levels, assignment, escalation, accept or appeal."""

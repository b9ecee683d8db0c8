"""Writes of the training app: courses and sessions, participants and attendance, certificates."""

"""Writes of the community app: nominations, objections, the beneficiary list's settings, youth proposals."""

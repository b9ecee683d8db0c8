"""Writes of the portal: status checks (they count against throttles), activation, office codes, applications."""

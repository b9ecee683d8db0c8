"""Monitoring and evaluation: indicators, monthly snapshots, dashboards, self-reliance index, graduation, impact."""

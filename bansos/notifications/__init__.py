"""The notification outbox with pluggable channels, and staff announcements with their reach."""

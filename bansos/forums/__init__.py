"""Forums per program and per RW with moderation, and residents' ratings and comments on sessions and programs."""

"""The household self-reliance (kemandirian) index, graduation out of assistance and follow-up, and impact estimates."""

"""Social-assistance platform for Kelurahan Duri Kepa."""

__version__ = "0.1.0"

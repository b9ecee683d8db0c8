"""Benchmarks: ``python -m bench NAME [--size N]``, ``python -m bench --list`` (see bench/README.md)."""

"""Every write of the umkm app: businesses, capital and repayments, equipment, mentoring, revenue."""

import datetime as _dt


def is_int(value) -> bool:
    """A real integer (Rupiah, months, basis points): not a bool, not a float, not text."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_date(value) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)

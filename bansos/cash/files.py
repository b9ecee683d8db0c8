"""Payment files out, result files in: the file formats of cash transfers (no database access).

The public import point; the writers live in ``files_out`` and the reader in ``files_in``.
"""

from bansos.cash.files_in import (
    FAILED,
    PAID,
    ResultFileError,
    ResultRow,
    read_result_file,
)
from bansos.cash.files_out import (
    DEFAULT_COLUMNS,
    PAYMENT_COLUMNS,
    Column,
    payment_csv,
    payment_xlsx,
    problem_report_csv,
    validate_columns,
)

__all__ = [
    "DEFAULT_COLUMNS",
    "FAILED",
    "PAID",
    "PAYMENT_COLUMNS",
    "Column",
    "ResultFileError",
    "ResultRow",
    "payment_csv",
    "payment_xlsx",
    "problem_report_csv",
    "read_result_file",
    "validate_columns",
]

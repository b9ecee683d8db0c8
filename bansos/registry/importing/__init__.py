"""Import households with their residents from CSV/XLSX files (see engine for the approach)."""

from bansos.registry.importing.engine import CHUNK_ROWS, ImportSummary, import_file, read_summary
from bansos.registry.importing.reader import ImportFileError, check_upload, count_rows

__all__ = ["CHUNK_ROWS", "ImportFileError", "ImportSummary", "check_upload", "count_rows", "import_file",
           "read_summary"]

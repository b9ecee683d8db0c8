"""Downloads of payment files and problem reports: personal data leaving the platform, each one audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from bansos.cash.access import require_cash
from bansos.cash.models import Batch, ResultUpload
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.programs.models import Program

FILE_FORMATS = ("csv", "xlsx")
MSG_FORMAT = _("Format berkas tidak dikenal.")


@transaction.atomic
def batch_download_record(*, actor, batch: Batch, file_format: str) -> Batch:
    """Count one download of a batch's payment file and audit it on the cycle (who, which batch, format)."""
    program = Program.objects.get(pk=batch.cycle.program_id)
    require_cash(actor, program)
    if file_format not in FILE_FORMATS:
        raise DomainError("file_format", MSG_FORMAT)
    # One conditional UPDATE: two downloads at once both count.
    Batch.objects.filter(pk=batch.pk).update(downloads=F("downloads") + 1)
    batch.refresh_from_db(fields=["downloads"])
    audit_log(actor=actor, action="cash.file.download", obj=batch.cycle,
              changes={"batch": batch.number, "format": file_format, "lines": batch.line_count,
                       "amount": batch.total_amount, "institution": str(batch.institution)})
    return batch


@transaction.atomic
def problem_report_download_record(*, actor, upload: ResultUpload) -> None:
    """Audit a download of a result file's problem lines (they carry the paying institution's raw cells)."""
    program = Program.objects.get(pk=upload.cycle.program_id)
    require_cash(actor, program)
    audit_log(actor=actor, action="cash.result.problems.download", obj=upload.cycle,
              changes={"file": upload.file_name, "problems": upload.problem_count})

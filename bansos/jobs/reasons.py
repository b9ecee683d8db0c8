"""The reasons of a match, as plain sentences.

A reason is stored as a code with its values (``JobReferral.match_reasons``) and rendered here in the
reader's language, e.g. "Lulus pelatihan Menjahit Dasar (Menjahit & busana) Maret 2026, nilai 85",
"Usia 24 tahun", "Sedang mencari kerja", "Keluarga desil 2". The company is shown only the reasons
in ``COMPANY_CODES``: the family's welfare decile is not theirs to read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _t

from bansos.core.formats import _month_name
from bansos.registry.models import EmploymentStatus
from bansos.training.models import SkillArea

COURSE = "course"
AGE = "age"
WORK = "work"
DECILE = "decile"
COMPANY_CODES = frozenset({COURSE, AGE, WORK})


def month_year(day: dt.date | str | None) -> str:
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{_month_name(day.month)} {day.year}"


def _skill_label(code: str) -> str:
    try:
        return str(SkillArea(code).label)
    except ValueError:
        return code


def reason_text(reason: dict[str, Any]) -> str:
    code = reason.get("code")
    if code == COURSE:
        text = _t("Lulus pelatihan %(title)s (%(skill)s) %(when)s") % {
            "title": reason.get("title", ""), "skill": _skill_label(reason.get("skill", "")),
            "when": month_year(reason.get("completed")),
        }
        if reason.get("score") is not None:
            text += _t(", nilai %(score)s") % {"score": reason["score"]}
        return text.strip()
    if code == AGE:
        return _t("Usia %(age)s tahun") % {"age": reason.get("age")}
    if code == WORK:
        status = reason.get("status") or ""
        if status == EmploymentStatus.UNEMPLOYED:
            return _t("Sedang mencari kerja")
        if not status:
            return _t("Status pekerjaan belum tercatat")
        try:
            label = str(EmploymentStatus(status).label)
        except ValueError:
            label = status
        return _t("Belum bekerja tetap: %(status)s") % {"status": label}
    if code == DECILE:
        return _t("Keluarga desil %(decile)s") % {"decile": reason.get("decile")}
    return str(reason.get("text", ""))


def reasons_text(reasons: list[dict[str, Any]], *, company: bool = False) -> list[str]:
    return [reason_text(r) for r in reasons if not company or r.get("code") in COMPANY_CODES]

"""The completion rule of a course, in integer arithmetic (no rounding of shares)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from bansos.training.models import Outcome, ParticipantState

MSG_RULE_DROPPED = _("Berhenti sebelum pelatihan selesai")
MSG_RULE_ATTENDANCE = _("Kehadiran %(attended)s dari %(sessions)s pertemuan, di bawah minimum %(pct)s%%")
MSG_RULE_NO_SCORE = _("Belum ada nilai asesmen (nilai lulus %(pass)s)")
MSG_RULE_SCORE = _("Nilai asesmen %(score)s, di bawah nilai lulus %(pass)s")


@dataclass
class Verdict:
    outcome: str
    reasons: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return self.outcome == Outcome.COMPLETED


def attendance_pct(attended: int, sessions: int) -> int:
    """Attendance share in whole percent, rounded down (display only; the rule compares exactly)."""
    return attended * 100 // sessions if sessions else 0


def verdict(*, state: str, attended: int, sessions: int, min_pct: int, pass_score: int | None,
            score: int | None) -> Verdict:
    """The outcome a participant has by the rule, and why not completed.

    Attendance passes when ``attended * 100 >= min_pct * sessions``: exactly the minimum share
    passes, one session less does not, whatever the number of sessions. With a pass score set, a
    missing score is not a pass.
    """
    if state == ParticipantState.DROPPED:
        return Verdict(Outcome.DROPPED, [str(MSG_RULE_DROPPED)])
    reasons = []
    if attended * 100 < min_pct * sessions:
        reasons.append(str(MSG_RULE_ATTENDANCE) % {"attended": attended, "sessions": sessions, "pct": min_pct})
    if pass_score is not None:
        if score is None:
            reasons.append(str(MSG_RULE_NO_SCORE) % {"pass": pass_score})
        elif score < pass_score:
            reasons.append(str(MSG_RULE_SCORE) % {"score": score, "pass": pass_score})
    return Verdict(Outcome.NOT_COMPLETED if reasons else Outcome.COMPLETED, reasons)

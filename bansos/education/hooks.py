"""What the education app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def school_levels(resident_ids, day):
    """{resident_id: (cash level, private)} of current students among ``resident_ids``: one query."""
    from bansos.education.calendar import school_year_of
    from bansos.education.models import CASH_LEVEL, Student, StudentStatus

    rows = Student.objects.filter(resident_id__in=resident_ids, school_year=school_year_of(day),
                                  status=StudentStatus.ENROLLED).values_list(
        "resident_id", "school__level", "school__is_private")
    return {rid: (CASH_LEVEL[level], private) for rid, level, private in rows}


def register() -> None:
    from bansos.cash.amounts import register_school_levels
    from bansos.core.audit import register_action_labels
    from bansos.education.panels import household_schooling
    from bansos.registry.panels import HouseholdPanel, register_household_panel

    register_school_levels(school_levels)
    register_household_panel(HouseholdPanel(
        key="education", order=30, template="education/_household_panel.html", context=household_schooling,
    ))
    register_action_labels({
        "education.school.create": _("Sekolah dicatat"),
        "education.school.update": _("Data sekolah diubah"),
        "education.student.enroll": _("Anak dicatat bersekolah"),
        "education.student.status": _("Status siswa diubah"),
        "education.attendance.record": _("Kehadiran bulanan siswa dicatat"),
        "education.attendance.correct": _("Kehadiran bulanan siswa diperbaiki"),
        "education.attendance.import": _("Kehadiran siswa diimpor dari CSV"),
        "education.condition.warning": _("Peringatan kehadiran siswa"),
        "education.terms.set": _("Syarat kehadiran program pendidikan diatur"),
        "resident.school": _("Status sekolah warga dicatat"),
    })

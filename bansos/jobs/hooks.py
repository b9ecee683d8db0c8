"""What the jobs app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.jobs.panels import household_jobs
    from bansos.registry.panels import HouseholdPanel, register_household_panel

    register_household_panel(HouseholdPanel(
        key="jobs", order=45, template="jobs/_household_panel.html", context=household_jobs,
    ))
    register_action_labels({
        "jobs.vacancy.create": _("Lowongan kerja dipasang"),
        "jobs.vacancy.update": _("Lowongan kerja diubah"),
        "jobs.vacancy.close": _("Lowongan kerja ditutup"),
        "jobs.referral.create": _("Dirujuk ke lowongan kerja"),
        "jobs.referral.interviewed": _("Rujukan kerja: diwawancara"),
        "jobs.referral.hired": _("Rujukan kerja: diterima bekerja"),
        "jobs.referral.not_hired": _("Rujukan kerja: tidak diterima"),
        "jobs.referral.withdrawn": _("Rujukan kerja dibatalkan"),
        "resident.employment": _("Pekerjaan warga dicatat"),
    })

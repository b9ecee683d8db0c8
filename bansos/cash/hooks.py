"""What the cash app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from bansos.cash.panels import household_payments, redact_history
    from bansos.cash.services.cycles import enrollment_hold
    from bansos.core.audit import register_action_labels
    from bansos.programs.services.funding import register_commitment_hold
    from bansos.registry.panels import HouseholdPanel, register_history_filter, register_household_panel

    register_commitment_hold(enrollment_hold)
    register_history_filter(redact_history)
    register_household_panel(HouseholdPanel(
        key="cash", order=25, template="cash/_household_panel.html", context=household_payments,
    ))
    register_action_labels({
        "cash.institution.create": _("Lembaga bayar dicatat"),
        "cash.institution.update": _("Lembaga bayar diubah"),
        "cash.scheme.set": _("Skema bantuan tunai diatur"),
        "cash.account.set": _("Rekening penerima dicatat"),
        "cash.cycle.create": _("Siklus pembayaran dibuat"),
        "cash.cycle.generate": _("Daftar penerima siklus dibuat"),
        "cash.cycle.approve": _("Siklus pembayaran disetujui"),
        "cash.cycle.cancel": _("Siklus pembayaran dibatalkan"),
        "cash.batch.create": _("Berkas pembayaran dibuat"),
        "cash.file.download": _("Berkas pembayaran diunduh"),
        "cash.result.problems.download": _("Daftar baris bermasalah hasil pembayaran diunduh"),
        "cash.result.upload": _("Hasil pembayaran diunggah"),
        "cash.paid": _("Bantuan tunai dibayar"),
        "cash.failed": _("Pembayaran gagal"),
        "cash.retry": _("Pembayaran dijadwalkan ulang"),
        "cash.cancel": _("Pembayaran dibatalkan"),
    })

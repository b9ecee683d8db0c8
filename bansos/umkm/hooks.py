"""What the umkm app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.registry.panels import HouseholdPanel, register_history_filter, register_household_panel
    from bansos.umkm.panels import household_businesses, redact_history

    register_household_panel(HouseholdPanel(
        key="umkm", order=40, template="umkm/_household_panel.html", context=household_businesses,
    ))
    register_history_filter(redact_history)
    register_action_labels({
        "umkm.business.create": _("Usaha mikro dicatat"),
        "umkm.business.update": _("Profil usaha mikro diubah"),
        "umkm.business.close": _("Usaha mikro dicatat tutup"),
        "umkm.business.reopen": _("Usaha mikro berjalan kembali"),
        "umkm.capital.record": _("Bantuan modal usaha dicatat"),
        "umkm.capital.disburse": _("Bantuan modal usaha dicairkan"),
        "umkm.repayment.record": _("Angsuran pinjaman usaha dibayar"),
        "umkm.repayment.reverse": _("Pembayaran angsuran dibatalkan"),
        "umkm.equipment.record": _("Bantuan peralatan usaha dicatat"),
        "umkm.mentoring.record": _("Pendampingan usaha dicatat"),
        "umkm.revenue.record": _("Omzet bulanan usaha dicatat"),
        "umkm.revenue.update": _("Omzet bulanan usaha diubah"),
    })

"""What the training app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "training.course.create": _("Pelatihan dibuat"),
    "training.course.update": _("Pelatihan diubah"),
    "training.course.start": _("Pelatihan dimulai"),
    "training.course.finish": _("Pelatihan selesai; hasil peserta ditetapkan"),
    "training.course.cancel": _("Pelatihan dibatalkan"),
    "training.session.add": _("Pertemuan pelatihan dijadwalkan"),
    "training.session.update": _("Pertemuan pelatihan diubah"),
    "training.session.remove": _("Pertemuan pelatihan dihapus"),
    "training.session.taken": _("Absensi pertemuan dicatat"),
    "training.participant.add": _("Peserta pelatihan ditambahkan"),
    "training.participant.drop": _("Peserta berhenti dari pelatihan"),
    "training.participant.score": _("Nilai asesmen pelatihan dicatat"),
    "training.participant.outcome": _("Hasil pelatihan ditetapkan"),
    "training.attendance.mark": _("Kehadiran pelatihan dicatat"),
    "training.certificate.issue": _("Sertifikat pelatihan diterbitkan"),
    "training.certificate.revoke": _("Sertifikat pelatihan dicabut"),
    "training.feedback.record": _("Penilaian pelatihan dicatat"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.registry.panels import HouseholdPanel, register_household_panel
    from bansos.training.panels import household_training

    register_household_panel(HouseholdPanel(
        key="training", order=35, template="training/_household_panel.html", context=household_training,
    ))
    register_action_labels(ACTION_LABELS)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "bansos.meetings"
    label = "meetings"
    verbose_name = _("Musyawarah dan kebutuhan warga")

    def ready(self) -> None:
        from bansos.core.audit import register_action_labels
        from bansos.meetings.panels import household_participation
        from bansos.registry.panels import HouseholdPanel, register_household_panel

        register_action_labels({
            "meeting.create": _("Musyawarah dicatat"),
            "meeting.update": _("Musyawarah diubah"),
            "meeting.status": _("Status musyawarah diubah"),
            "meeting.others": _("Jumlah peserta lain diubah"),
            "meeting.attendance_add": _("Hadir dalam musyawarah"),
            "meeting.attendance_remove": _("Kehadiran musyawarah dihapus"),
            "need.create": _("Kebutuhan dicatat"),
            "need.update": _("Kebutuhan diubah"),
            "need.status": _("Status kebutuhan diubah"),
            "need.vote": _("Suara untuk kebutuhan"),
            "need.unvote": _("Suara untuk kebutuhan ditarik"),
        })
        register_household_panel(HouseholdPanel(
            key="meetings", order=60, template="meetings/_household_panel.html", context=household_participation,
        ))

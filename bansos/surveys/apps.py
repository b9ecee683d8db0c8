from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "bansos.surveys"
    label = "surveys"
    verbose_name = "Survei"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from bansos.core.audit import register_action_labels
        from bansos.registry.panels import HouseholdPanel, register_household_panel
        from bansos.surveys.views import household_panel_context

        register_action_labels({
            "survey.form.create": _("Formulir survei dibuat"),
            "survey.form.change": _("Formulir survei diubah"),
            "survey.form.status": _("Status formulir survei diubah"),
            "survey.form.import": _("Formulir survei diimpor dari XLSForm"),
            "survey.round.create": _("Putaran survei dibuat"),
            "survey.round.status": _("Status putaran survei diubah"),
            "survey.response.draft": _("Draf jawaban survei disimpan"),
            "survey.response.submit": _("Jawaban survei dikirim"),
            "survey.response.update": _("Jawaban survei terkirim diubah"),
            "survey.export": _("Jawaban survei diekspor (data pribadi)"),
        })
        register_household_panel(HouseholdPanel(
            key="surveys", order=40, template="surveys/_household_panel.html", context=household_panel_context,
        ))

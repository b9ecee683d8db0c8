"""Forms of the cycle pages: a new cycle's period, the reason for cancelling, the entitlement search."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.cash.models import EntitlementState, Frequency
from bansos.programs.forms_catalog import DateInput

MSG_NO_PERIOD = _("Semua bulan dalam masa program sudah punya siklus.")


class CycleCreateForm(forms.Form):
    """The period of a new cycle: a month (monthly, quarterly) chosen from the program's months, or a date."""

    def __init__(self, *args, frequency: str, choices=(), initial_period: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.one_off = frequency == Frequency.ONE_OFF
        if self.one_off:
            self.fields["period_start"] = forms.DateField(
                label=_("Tanggal pembayaran"), widget=DateInput(),
                help_text=_("Bantuan sekali bayar: tanggal periode siklus ini."))
        else:
            label = _("Bulan mulai") if frequency == Frequency.QUARTERLY else _("Bulan")
            help_text = (_("Siklus triwulanan membayar tiga bulan mulai bulan ini.")
                         if frequency == Frequency.QUARTERLY else _("Siklus bulanan membayar satu bulan."))
            self.fields["period_start"] = forms.TypedChoiceField(
                label=label, choices=list(choices), coerce=dt.date.fromisoformat, initial=initial_period,
                help_text=help_text, empty_value=None)
            if not choices:
                self.fields["period_start"].help_text = MSG_NO_PERIOD


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Dicatat pada siklus dan pada setiap penerima; tidak dapat dibatalkan."))


class EntitlementFilterForm(forms.Form):
    label_suffix = ""
    q = forms.CharField(label=_("Cari penerima"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Nama, NIK atau nomor KK")}))
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Semua status"))] + EntitlementState.choices)

    def filters(self) -> dict:
        """The valid filters; an invalid one (a stale link) is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "state": data.get("state") or ""}

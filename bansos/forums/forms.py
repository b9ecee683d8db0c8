"""Forms of the forum pages: they carry text to the services, which hold the rules (lengths, personal data)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.forums import content


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Judul pertanyaan atau topik"), max_length=content.TITLE_MAX + 50,
                            strip=False)
    body = forms.CharField(label=_("Isi"), max_length=content.BODY_MAX + 200, strip=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Jangan menulis NIK, nomor KK atau nomor HP: forum dibaca banyak orang."))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Balasan"), max_length=content.REPLY_MAX + 200, strip=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    official = forms.BooleanField(label=_("Jawaban resmi petugas"), required=False, initial=True)

    def __init__(self, *args, moderator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not moderator:
            del self.fields["official"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=content.REASON_MAX + 50,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("hide", _("Sembunyikan tulisan")), ("dismiss", _("Tolak laporan"))])
    note = forms.CharField(label=_("Catatan"), required=False, max_length=content.REASON_MAX + 50)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Nilai (1 = buruk, 5 = sangat baik)"), coerce=int,
                                    widget=forms.RadioSelect, choices=[(i, str(i)) for i in range(1, 6)])
    comment = forms.CharField(label=_("Komentar (boleh kosong)"), required=False, max_length=content.COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}))

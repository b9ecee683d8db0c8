from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind, Role
from bansos.core.models import RT, RW, Posyandu


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini sudah dinonaktifkan. Hubungi admin kelurahan."),
    }

    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Kata sandi"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class _ScopeFields(forms.Form):
    """The fields that give a role its scope. Which ones count is the service's rule, not the form's."""

    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    agency = forms.ModelChoiceField(label=_("Lembaga (untuk petugas program)"), required=False,
                                    queryset=Agency.objects.order_by("name"), empty_label=_("Tidak ada"))
    rw = forms.ModelChoiceField(label=_("RW (untuk petugas RT/RW)"), required=False,
                                queryset=RW.objects.order_by("number"), empty_label=_("Tidak ada"))
    rt = forms.ModelChoiceField(label=_("RT (opsional, untuk petugas satu RT)"), required=False,
                                queryset=RT.objects.select_related("rw").order_by("rw__number", "number"),
                                empty_label=_("Seluruh RW"))
    posyandu = forms.ModelChoiceField(label=_("Posyandu (untuk kader kesehatan)"), required=False,
                                      queryset=Posyandu.objects.order_by("name"), empty_label=_("Tidak ada"))
    kk_number = forms.CharField(label=_("Nomor KK (untuk warga)"), max_length=20, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def scope_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["first_name"], "phone": data.get("phone", ""), "role": data["role"],
            "agency": data.get("agency"), "rw": data.get("rw"), "rt": data.get("rt"),
            "posyandu": data.get("posyandu"), "kk_number": data.get("kk_number", ""),
        }


class UserCreateForm(_ScopeFields):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               help_text=_("Huruf, angka dan @ . + - _ saja."),
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    password = forms.CharField(
        label=_("Kata sandi awal"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 10 karakter, tidak umum, tidak hanya angka. Sampaikan kepada pengguna secara langsung."),
    )

    field_order = ["username", "first_name", "phone", "role", "agency", "rw", "rt", "posyandu", "kk_number",
                   "password"]


class UserEditForm(_ScopeFields):
    pass


class UserActiveForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500, required=False)


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis lembaga"), choices=AgencyKind.choices)
    contact = forms.CharField(label=_("Kontak (nama, nomor HP, email)"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with Indonesian labels; the save goes through the audited service instead."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Kata sandi lama salah. Silakan coba lagi."),
        "password_mismatch": _("Kedua kata sandi baru tidak sama."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Minimal 10 karakter, tidak mirip nama pengguna, bukan kata sandi umum, tidak hanya angka."
        )
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")

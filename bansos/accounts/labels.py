"""Human labels of the accounts and areas audit actions (registered in AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from bansos.core.audit import register_action_labels

register_action_labels({
    "account.create": _("Akun admin dibuat"),
    "account.password_change": _("Kata sandi diganti"),
    "account.twofactor_enable": _("Verifikasi dua langkah diaktifkan"),
    "account.twofactor_disable": _("Verifikasi dua langkah dimatikan"),
    "account.twofactor_reset": _("Verifikasi dua langkah diatur ulang oleh admin"),
    "user.create": _("Pengguna dibuat"),
    "user.update": _("Data pengguna diubah"),
    "user.deactivate": _("Pengguna dinonaktifkan"),
    "user.reactivate": _("Pengguna diaktifkan kembali"),
    "agency.create": _("Lembaga mitra ditambahkan"),
    "agency.update": _("Lembaga mitra diubah"),
    "token.create": _("Token API dibuat"),
    "token.revoke": _("Token API dicabut"),
    "kelurahan.create": _("Data kelurahan dibuat"),
    "kelurahan.update": _("Data kelurahan diubah"),
    "rw.create": _("RW ditambahkan"),
    "rw.update": _("RW diubah"),
    "rt.create": _("RT ditambahkan"),
    "rt.update": _("RT diubah"),
    "posyandu.create": _("Posyandu ditambahkan"),
    "posyandu.update": _("Posyandu diubah"),
    "registry.seed": _("Data demo dibuat"),
    "backup.create": _("Cadangan data dibuat"),
    "backup.restore": _("Data dipulihkan dari cadangan"),
})

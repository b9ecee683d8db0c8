"""``manage.py seed --households N [--seed S]``: fill an empty registry with the Duri Kepa demo."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bansos.core.errors import DomainError
from bansos.core.origin import origin


class Command(BaseCommand):
    help = "Isi registri kosong dengan data demo sintetis Duri Kepa (wilayah, lembaga, keluarga, akun demo)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=20000, help="jumlah keluarga (bawaan 20000)")
        parser.add_argument("--seed", type=int, default=2026, help="benih acak generator (bawaan 2026)")
        parser.add_argument("--no-accounts", action="store_true", help="jangan buat akun demo")

    def handle(self, *args, households: int, seed: int, no_accounts: bool, **options):
        from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed

        with origin(channel="cli", command="seed"):
            try:
                summary = demo_seed(households=households, seed=seed, progress=self._progress)
            except DomainError as exc:
                raise CommandError(exc.text) from exc
            self.stderr.write("")
            self.stdout.write(self.style.SUCCESS(
                f"Data demo dibuat: {summary['households']:,} keluarga, {summary['residents']:,} warga "
                f"(benih {seed}, {summary['seconds']:.1f} detik)."
            ))
            demo_agencies_create()
            if no_accounts:
                return
            accounts = demo_accounts_create()
        self.stdout.write("\nAkun demo (nama pengguna / kata sandi / peran / wilayah):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {account.password:<24} {account.role:<24} {account.scope}")

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r  {done:,}/{total:,} keluarga ({done * 100 // total}%)", ending="")
        self.stderr.flush()

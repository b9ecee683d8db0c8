"""One command from nothing to a working Duri Kepa demo: migrate, seed, print logins, serve + worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bansos.core.management.commands.serve import serve
from bansos.core.origin import origin


class Command(BaseCommand):
    help = "Create and serve a demo installation with Duri Kepa data (SQLite by default)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--households", type=int, default=20000,
                            help="households to generate when the registry is empty (default 20000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the generator")
        parser.add_argument("--no-serve", action="store_true", help="set up the data, print logins, and stop")

    def handle(self, *args, port, host, households, seed, no_serve, **options):
        from bansos.accounts.models import User
        from bansos.demo.services import demo_accounts_create, demo_prepare
        from bansos.demo.steps import demo_apps_create

        self.stdout.write("Menyiapkan basis data (migrate)...")
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        with origin(channel="cli", command="demo"):
            summary = demo_prepare(households=households, seed=seed, progress=self._progress)
            accounts = demo_accounts_create()
            if summary:
                self.stderr.write("")
                admin = User.objects.get(username=accounts[0].username)
                demo_apps_create(actor=admin, seed=seed, report=self.stdout.write)
        if summary:
            self.stdout.write(self.style.SUCCESS(
                f"Data demo dibuat: {summary['households']} keluarga, {summary['residents']} warga "
                f"(registri {summary['seconds']:.1f} detik, seluruh data demo {time.monotonic() - started:.1f} detik)."
            ))
        else:
            self.stdout.write("Registri sudah berisi data; data demo tidak dibuat ulang.")
        self.stdout.write("\nAkun demo (nama pengguna / kata sandi / peran / wilayah):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {account.password:<22} {account.role:<24} {account.scope}")
        if no_serve:
            return
        self._serve_with_worker(host=host, port=port)

    def _progress(self, done: int, total: int | None) -> None:
        if total:
            self.stderr.write(f"\r  {done:,}/{total:,} keluarga ({done * 100 // total}%)", ending="")
            self.stderr.flush()

    def _serve_with_worker(self, *, host: str, port: int) -> None:
        worker = subprocess.Popen(
            [sys.executable, "-m", "bansos.cli", "worker", "--no-reload"],
            env=dict(os.environ),
        )
        self.stdout.write(f"Pekerja tugas latar berjalan (pid {worker.pid}).")
        self.stdout.write(f"Buka http://{host}:{port}/ di peramban. Tekan Ctrl-C untuk berhenti.")
        # A SIGTERM (from a service manager or kill) must stop the worker too, like Ctrl-C does.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            serve(host=host, port=port, threads=8, stdout=self.stdout)
        except KeyboardInterrupt:
            pass
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                deadline = time.monotonic() + 10
                while worker.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.1)
                if worker.poll() is None:
                    worker.kill()
            self.stdout.write("Berhenti.")


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt

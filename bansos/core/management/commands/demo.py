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
        from bansos.cash.demo import demo_cash_create
        from bansos.demo.services import demo_accounts_create, demo_prepare
        from bansos.demo.targeting import demo_targeting_create
        from bansos.education.demo import demo_education_create
        from bansos.health.demo import demo_health_create, demo_maternal_create
        from bansos.jobs.demo import demo_jobs_create
        from bansos.programs.demo import demo_programs_create
        from bansos.training.demo import demo_training_create
        from bansos.umkm.demo import demo_umkm_create

        self.stdout.write("Menyiapkan basis data (migrate)...")
        call_command("migrate", interactive=False, verbosity=0)
        with origin(channel="cli", command="demo"):
            summary = demo_prepare(households=households, seed=seed, progress=self._progress)
            accounts = demo_accounts_create()
            if summary:
                self.stderr.write("")
                self.stdout.write("Menghitung skor kesejahteraan, musyawarah dan aturan kelayakan contoh...")
                admin = User.objects.get(username=accounts[0].username)
                demo_targeting_create(actor=admin, seed=seed)
                self.stdout.write("Membuat lembaga, sumber dana, program, peserta dan rujukan contoh...")
                made = demo_programs_create(actor=admin, seed=seed)
                if made:
                    self.stdout.write(f"  {made['programs']} program, {made['enrollments']} peserta, "
                                      f"{made['referrals']} rujukan ({made['seconds']:.1f} detik).")
                self.stdout.write("Membuat lembaga bayar, skema, rekening dan siklus bantuan tunai contoh...")
                paid = demo_cash_create(actor=admin, seed=seed)
                if paid:
                    self.stdout.write(f"  {paid['cycles']} siklus, {paid['payments']} pembayaran, "
                                      f"{paid['accounts']} rekening ({paid['seconds']:.1f} detik).")
                self.stdout.write("Membuat sekolah, data siswa, kehadiran dan program pendidikan gratis contoh...")
                schooled = demo_education_create(actor=admin, seed=seed)
                if schooled:
                    self.stdout.write(f"  {schooled['schools']} sekolah, {schooled['students']} siswa, "
                                      f"{schooled['enrollments']} penerima bantuan pendidikan "
                                      f"({schooled['seconds']:.1f} detik).")
                self.stdout.write("Membuat pelatihan, lowongan kerja dan usaha mikro contoh...")
                trained = demo_training_create(actor=admin, seed=seed)
                if trained:
                    self.stdout.write(f"  {trained['courses']} pelatihan, {trained['participants']} peserta, "
                                      f"{trained['certificates']} sertifikat ({trained['seconds']:.1f} detik).")
                jobs = demo_jobs_create(actor=admin, seed=seed)
                if jobs:
                    self.stdout.write(f"  {jobs['vacancies']} lowongan, {jobs['referrals']} rujukan kerja, "
                                      f"{jobs['hired']} diterima bekerja.")
                firms = demo_umkm_create(actor=admin, seed=seed)
                if firms:
                    self.stdout.write(f"  {firms['businesses']} usaha mikro, {firms['capital']} bantuan modal, "
                                      f"{firms['repayments']} angsuran dibayar ({firms['seconds']:.1f} detik).")
                self.stdout.write("Membuat sesi posyandu dan penimbangan balita contoh...")
                weighed = demo_health_create(actor=admin, seed=seed)
                if weighed:
                    self.stdout.write(f"  {weighed['sessions']} sesi posyandu, {weighed['visits']} kunjungan balita.")
                mothers = demo_maternal_create(actor=admin, seed=seed)
                if mothers:
                    self.stdout.write(f"  {mothers['pregnancies']} kehamilan dipantau, "
                                      f"{mothers['visits']} kunjungan antenatal, {mothers['deliveries']} persalinan.")
        if summary:
            self.stdout.write(self.style.SUCCESS(
                f"Data demo dibuat: {summary['households']} keluarga, {summary['residents']} warga "
                f"({summary['seconds']:.1f} detik)."
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

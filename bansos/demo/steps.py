"""The demo's data beyond the registry, app by app, in the one order they depend on each other.

``bansos demo`` runs these after seeding the registry and creating the demo accounts, and so do the
test worlds of the authorization matrix and the API fuzzing, so all three see the same platform.
Each step calls one app's demo function, which creates its data once (None when it exists already)
and returns counts; ``summary`` turns those counts into the line the command prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class DemoStep:
    heading: str  # printed before the step (empty: the step continues the previous heading)
    function: str  # "module:function", called as function(actor=..., seed=...)
    summary: Callable[[dict[str, Any]], str]

    def run(self, *, actor, seed: int) -> dict[str, Any] | None:
        module, name = self.function.split(":")
        return getattr(import_module(module), name)(actor=actor, seed=seed)


def _seconds(made: dict[str, Any]) -> str:
    return f" ({made['seconds']:.1f} detik)" if "seconds" in made else ""


DEMO_STEPS: tuple[DemoStep, ...] = (
    DemoStep("Menghitung skor kesejahteraan, musyawarah dan aturan kelayakan contoh...",
             "bansos.demo.targeting:demo_targeting_create", lambda m: ""),
    DemoStep("Membuat lembaga, sumber dana, program, peserta dan rujukan contoh...",
             "bansos.programs.demo:demo_programs_create",
             lambda m: f"{m['programs']} program, {m['enrollments']} peserta, {m['referrals']} rujukan{_seconds(m)}."),
    DemoStep("Membuat lembaga bayar, skema, rekening dan siklus bantuan tunai contoh...",
             "bansos.cash.demo:demo_cash_create",
             lambda m: f"{m['cycles']} siklus, {m['payments']} pembayaran, {m['accounts']} rekening{_seconds(m)}."),
    # After cash: the free-education program is paid through a cash scheme and its paying institution.
    DemoStep("Membuat sekolah, data siswa, kehadiran dan program pendidikan gratis contoh...",
             "bansos.education.demo:demo_education_create",
             lambda m: f"{m['schools']} sekolah, {m['students']} siswa, {m['enrollments']} penerima bantuan "
                       f"pendidikan{_seconds(m)}."),
    DemoStep("Membuat pelatihan, lowongan kerja dan usaha mikro contoh...",
             "bansos.training.demo:demo_training_create",
             lambda m: f"{m['courses']} pelatihan, {m['participants']} peserta, {m['certificates']} "
                       f"sertifikat{_seconds(m)}."),
    # After training: vacancies are matched with the courses' graduates.
    DemoStep("", "bansos.jobs.demo:demo_jobs_create",
             lambda m: f"{m['vacancies']} lowongan, {m['referrals']} rujukan kerja, {m['hired']} diterima bekerja."),
    DemoStep("", "bansos.umkm.demo:demo_umkm_create",
             lambda m: f"{m['businesses']} usaha mikro, {m['capital']} bantuan modal, {m['repayments']} angsuran "
                       f"dibayar{_seconds(m)}."),
    DemoStep("Membuat sesi posyandu, penimbangan balita dan pemantauan ibu hamil contoh...",
             "bansos.health.demo:demo_health_create",
             lambda m: f"{m['sessions']} sesi posyandu, {m['visits']} kunjungan balita."),
    DemoStep("", "bansos.health.demo:demo_maternal_create",
             lambda m: f"{m['pregnancies']} kehamilan dipantau, {m['visits']} kunjungan antenatal, "
                       f"{m['deliveries']} persalinan."),
    DemoStep("Membuat forum, usul/sanggah, usulan pemuda, pengaduan dan pengumuman contoh...",
             "bansos.community.demo:demo_community_create", lambda m: m.get("line", "")),
    DemoStep("", "bansos.forums.demo:demo_forums_create", lambda m: m.get("line", "")),
    DemoStep("", "bansos.grievances.demo:demo_grievances_create", lambda m: m.get("line", "")),
    DemoStep("", "bansos.notifications.demo:demo_notifications_create", lambda m: m.get("line", "")),
    DemoStep("", "bansos.portal.demo:demo_portal_create", lambda m: m.get("line", "")),
    DemoStep("Mencari data ganda di registri dan mencocokkan daftar lembaga contoh...",
             "bansos.linkage.demo:demo_linkage_create", lambda m: m.get("line", "")),
    DemoStep("Menghitung indeks kemandirian keluarga dan usulan kelulusan contoh...",
             "bansos.selfreliance.demo:demo_selfreliance_create", lambda m: m.get("line", "")),
    # Last: the monitoring snapshots read every other app's data.
    DemoStep("Menghitung indikator pemantauan dan potret bulanan contoh...",
             "bansos.monitoring.demo:demo_monitoring_create", lambda m: m.get("line", "")),
)


def demo_apps_create(*, actor, seed: int, report: Callable[[str], None] | None = None) -> None:
    """Every app's demo data after the registry, in order; ``report`` receives the lines to print."""
    for step in DEMO_STEPS:
        if report and step.heading:
            report(step.heading)
        made = step.run(actor=actor, seed=seed)
        if report and made:
            line = step.summary(made)
            if line:
                report(f"  {line}")

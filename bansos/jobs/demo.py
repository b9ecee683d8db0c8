"""Jobs of the Duri Kepa demo: vacancies of the partner companies, referrals and their outcomes.

Runs after the training demo. CSR PT Sentosa Makmur Abadi (the demo's business partner) posts vacancies
for the skills its sewing and digital courses teach; a second company, PT Rasa Nusantara Boga, posts one
for cooking. The kelurahan admin refers the best-matching residents who completed demo courses (the
matching selector's order, a few per vacancy), and the companies' outcomes are recorded through the
services: some interviewed, some not hired, some hired at wages around the Jakarta UMP 2026
(Rp 5.396.761), which sets each hired person's employment in the registry. Without completed
participants only the vacancies are created. Reproducible from ``seed``; runs once (nothing when a
vacancy exists).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from bansos.accounts.models import Agency, AgencyKind
from bansos.core.audit import audit_log
from bansos.jobs import services
from bansos.jobs.matching import vacancy_candidates
from bansos.jobs.models import ReferralStatus, Vacancy

UMP_JAKARTA_2026 = 5_396_761

COMPANIES = {
    "sentosa": ("CSR PT Sentosa Makmur Abadi", "Unit tanggung jawab sosial perusahaan"),
    "boga": ("PT Rasa Nusantara Boga", "HRD, Jl. Panjang No. 8, Kebon Jeruk"),
}

VACANCIES = (
    ("sentosa", {"position": "Operator Jahit Garmen", "skill_areas": ["sewing", "craft"], "openings": 6,
                 "wage_min": UMP_JAKARTA_2026, "wage_max": 5_800_000, "location": "Pabrik garmen, Kapuk",
                 "min_age": 18, "max_age": 45, "women_only": False, "days": 45,
                 "description": "Menjahit pakaian jadi di lini produksi; pelatihan lanjutan dua minggu di pabrik."}),
    ("sentosa", {"position": "Admin Toko Daring", "skill_areas": ["digital", "business"], "openings": 3,
                 "wage_min": UMP_JAKARTA_2026, "wage_max": 6_200_000, "location": "Kantor pemasaran, Kebon Jeruk",
                 "min_age": 18, "max_age": 35, "women_only": False, "days": 30,
                 "description": "Mengunggah produk, membalas pesan pembeli dan mencatat pesanan."}),
    ("boga", {"position": "Juru Masak Katering", "skill_areas": ["cooking"], "openings": 4,
              "wage_min": UMP_JAKARTA_2026, "wage_max": 5_700_000, "location": "Dapur pusat, Duri Kepa",
              "min_age": 18, "max_age": 50, "women_only": False, "days": 21,
              "description": "Menyiapkan makanan katering kantor; shift pagi."}),
    ("sentosa", {"position": "Penjahit Butik (khusus perempuan)", "skill_areas": ["sewing"], "openings": 2,
                 "wage_min": UMP_JAKARTA_2026, "wage_max": 6_000_000, "location": "Butik mitra, Tanjung Duren",
                 "min_age": 20, "max_age": 50, "women_only": True, "days": 14, "description": ""}),
)

NOT_HIRED_NOTES = ("Belum memenuhi kecepatan kerja yang dibutuhkan.", "Tidak hadir pada jadwal wawancara.",
                   "Memilih pekerjaan yang lebih dekat rumah.")


def _companies() -> dict[str, Agency]:
    out = {}
    for key, (name, contact) in COMPANIES.items():
        agency, created = Agency.objects.get_or_create(name=name, defaults={"kind": AgencyKind.BUSINESS,
                                                                            "contact": contact})
        if created:
            audit_log(actor=None, action="agency.create", obj=agency,
                      changes={"name": [None, name], "kind": [None, AgencyKind.BUSINESS.value]}, reason="data demo")
        out[key] = agency
    return out


def demo_jobs_create(*, actor, seed: int = 2026) -> dict | None:
    """Vacancies, referrals and outcomes of the demo; None when vacancies exist already."""
    if Vacancy.objects.exists():
        return None
    rng = random.Random(f"jobs-{seed}")
    today = timezone.localdate()
    companies = _companies()
    summary: dict[str, Any] = {"vacancies": 0, "referrals": 0, "hired": 0, "interviewed": 0, "not_hired": 0}
    for key, spec in VACANCIES:
        data = {k: v for k, v in spec.items() if k != "days"}
        data.update(company=companies[key], closing_date=today + dt.timedelta(days=spec["days"]))
        vacancy = services.vacancy_create(actor=actor, data=data)
        summary["vacancies"] += 1
        candidates = [c for c in vacancy_candidates(user=actor, vacancy=vacancy) if not c.referred]
        # The best matches first, as a coordinator would pick them; a few per vacancy.
        chosen = candidates[: min(len(candidates), vacancy.openings + 3)]
        for index, candidate in enumerate(chosen):
            referral = services.referral_create(
                actor=actor, vacancy=vacancy, resident=_resident(candidate.resident_id),
                note="Lulusan pelatihan kelurahan; siap mengikuti wawancara.")
            summary["referrals"] += 1
            roll = rng.random()
            if index >= vacancy.openings + 1 or roll < 0.2:
                continue  # still waiting for the company
            services.referral_outcome(actor=actor, referral=referral, status=ReferralStatus.INTERVIEWED)
            if roll < 0.35:
                summary["interviewed"] += 1
                continue
            if roll < 0.55:
                services.referral_outcome(actor=actor, referral=referral, status=ReferralStatus.NOT_HIRED,
                                          note=rng.choice(NOT_HIRED_NOTES))
                summary["not_hired"] += 1
                continue
            wage = min(vacancy.wage_max, UMP_JAKARTA_2026 + rng.randrange(0, 12) * 50_000)
            services.referral_outcome(actor=actor, referral=referral, status=ReferralStatus.HIRED, wage=wage,
                                      start_date=today + dt.timedelta(days=rng.randrange(3, 21)),
                                      note="Lulus wawancara dan uji keterampilan.")
            summary["hired"] += 1
    return summary


def _resident(pk: int):
    from bansos.registry.models import Resident

    return Resident.objects.get(pk=pk)

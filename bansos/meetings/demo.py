"""Demo musyawarah for Duri Kepa: a few held meetings per RW with attendance and voted needs.

Called by the demo command after the registry is filled. Like the registry demo it acts without a
user, writes in bulk, and leaves one audit event per meeting. Reproducible from ``seed``: meeting
dates count back from 1 January of this year (the generator's reference date).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from bansos.core.audit import build_event
from bansos.core.formats import age_on
from bansos.core.models import AuditEvent, RW
from bansos.demo.generator import default_reference
from bansos.meetings.models import Attendance, Meeting, MeetingStatus, Need, NeedCategory, NeedStatus, NeedVote
from bansos.registry.models import HouseholdStatus, Resident, ResidentStatus, Sex
from bansos.registry.models.household import YOUTH_AGES

MEETINGS_PER_RW = 3

# (category, weight, description): what Duri Kepa residents raise most, by rough frequency.
NEEDS: tuple[tuple[str, int, str], ...] = (
    (NeedCategory.ECONOMY, 9, "Pelatihan keterampilan kerja (menjahit, tata boga, digital) bagi pencari kerja"),
    (NeedCategory.ECONOMY, 7, "Modal usaha dan pendampingan UMKM warung dan kuliner rumahan"),
    (NeedCategory.ECONOMY, 4, "Informasi lowongan kerja dan bursa kerja dengan usaha sekitar"),
    (NeedCategory.EDUCATION, 8, "Bantuan biaya sekolah dan perlengkapan anak dari keluarga kurang mampu"),
    (NeedCategory.EDUCATION, 4, "Bimbingan belajar gratis untuk anak SD-SMP di balai RW"),
    (NeedCategory.HEALTH, 7, "Pencegahan stunting: makanan tambahan balita dan kelas ibu hamil di posyandu"),
    (NeedCategory.HEALTH, 4, "Pemeriksaan kesehatan rutin lansia dan penderita hipertensi"),
    (NeedCategory.HOUSING, 8, "Normalisasi saluran air dan pencegahan banjir saat hujan deras"),
    (NeedCategory.HOUSING, 6, "Pengelolaan sampah: bank sampah dan jadwal angkut yang teratur"),
    (NeedCategory.HOUSING, 3, "Perbaikan jalan gang dan penerangan jalan umum"),
    (NeedCategory.SOCIAL, 5, "Kegiatan karang taruna dan ruang kegiatan pemuda"),
    (NeedCategory.SOCIAL, 3, "Pendampingan lansia yang tinggal sendiri"),
    (NeedCategory.OTHER, 2, "Pos keamanan lingkungan (siskamling) yang aktif kembali"),
)

TITLES = ("Musyawarah warga RW %02d", "Rembuk kebutuhan warga RW %02d", "Musyawarah perencanaan RW %02d")
PLACES = ("Balai warga RW %02d", "Pos RW %02d", "Musala lingkungan RW %02d", "Halaman sekretariat RW %02d")
DECISIONS = (
    "Usulan dengan suara terbanyak diteruskan ke Musrenbang kelurahan.",
    "Kerja bakti membersihkan saluran dilaksanakan Minggu pertama bulan depan.",
    "Ketua RT mendata warga yang membutuhkan pelatihan kerja.",
    "Kader posyandu mendata balita yang belum ditimbang bulan ini.",
)


def _people_by_rw() -> dict[int, list[tuple[int, str, dt.date]]]:
    rows = (
        Resident.objects.filter(status=ResidentStatus.ACTIVE, household__status=HouseholdStatus.ACTIVE)
        .values_list("household__rt__rw_id", "pk", "sex", "birth_date")
        .order_by("pk")
    )
    people: dict[int, list[tuple[int, str, dt.date]]] = {}
    for rw_id, pk, sex, birth_date in rows.iterator(chunk_size=20000):
        people.setdefault(rw_id, []).append((pk, sex, birth_date))
    return people


@transaction.atomic
def demo_meetings_create(seed: int = 2026, *, per_rw: int = MEETINGS_PER_RW) -> dict[str, Any]:
    """Create ``per_rw`` held meetings per RW with attendance and voted needs; return the counts."""
    rng = random.Random(f"meetings-{seed}")
    reference = default_reference()
    people = _people_by_rw()
    weights = [weight for _category, weight, _text in NEEDS]
    meetings: list[Meeting] = []
    plans: list[tuple[Meeting, list[tuple[int, str, dt.date]], list[tuple[str, str, int]]]] = []
    for rw in RW.objects.order_by("number"):
        adults = [p for p in people.get(rw.pk, []) if (age_on(p[2], reference) or 0) >= 16]
        for index in range(per_rw):
            date = reference - dt.timedelta(days=30 + 75 * index + rng.randrange(0, 20))
            size = min(len(adults), rng.randint(15, 45))
            attendees = sorted(rng.sample(adults, size)) if size else []
            others = rng.randint(0, 12)
            meeting = Meeting(
                date=date, rw=rw, title=TITLES[index % len(TITLES)] % rw.number,
                place=rng.choice(PLACES) % rw.number,
                agenda="1. Pembukaan\n2. Penyampaian kebutuhan warga\n3. Pemungutan suara prioritas\n4. Penutup",
                minutes=(
                    f"Musyawarah dibuka oleh Ketua RW {rw.number:02d}. Warga menyampaikan kebutuhan "
                    f"lingkungan dan menentukan prioritas dengan angkat tangan."
                ),
                decisions=rng.sample(DECISIONS, 2), status=MeetingStatus.HELD, others_count=others,
                others_women=rng.randint(0, others) if rng.random() < 0.7 else None,
                others_youth=rng.randint(0, others // 2) if rng.random() < 0.5 else None,
            )
            picks: list[tuple[str, str, int]] = []
            seen: set[str] = set()
            for _ in range(rng.randint(3, 5)):
                category, _weight, text = rng.choices(NEEDS, weights=weights)[0]
                if text in seen:
                    continue
                seen.add(text)
                picks.append((category, text, rng.randint(0, max(1, (size + others) // 2))))
            meetings.append(meeting)
            plans.append((meeting, attendees, picks))
    Meeting.objects.bulk_create(meetings)  # primary keys come back on both databases

    attendances, needs, vote_plans = [], [], []
    for meeting, attendees, picks in plans:
        for pk, sex, birth_date in attendees:
            age = age_on(birth_date, meeting.date)
            attendances.append(Attendance(
                meeting=meeting, resident_id=pk, is_woman=sex == Sex.FEMALE,
                is_youth=age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1],
            ))
        for category, text, hands in picks:
            status = rng.choices([NeedStatus.RAISED, NeedStatus.ADOPTED, NeedStatus.ADDRESSED], [6, 3, 1])[0]
            need = Need(meeting=meeting, rw=meeting.rw, category=category, description=text, hand_votes=hands,
                        status=status)
            needs.append(need)
            voters = [pk for pk, _sex, _birth in attendees if rng.random() < 0.15]
            vote_plans.append((need, voters))
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    Need.objects.bulk_create(needs, batch_size=2000)
    votes = [NeedVote(need=need, resident_id=pk) for need, voters in vote_plans for pk in voters]
    NeedVote.objects.bulk_create(votes, batch_size=2000)
    AuditEvent.objects.bulk_create(
        [build_event(actor=None, action="meeting.create", obj=m, reason="data demo") for m in meetings],
        batch_size=2000,
    )
    return {"meetings": len(meetings), "attendances": len(attendances), "needs": len(needs), "votes": len(votes)}

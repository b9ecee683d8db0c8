"""Demo grievances made through the services: every state, every category and channel, several RWs, some
overdue and escalated. Dates are relative to now (``now=`` back-dates each step), so the service levels
read sensibly whenever the demo is built; the escalation run at the end flags what is late."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from bansos.accounts.models import Role, User
from bansos.grievances import services as s
from bansos.grievances.models import Grievance
from bansos.programs.models import Program, ProgramStatus
from bansos.registry.models import Household

NAMES = ["Siti Aminah", "Dewi Lestari", "Agus Salim", "Rina Marlina", "Bambang Irawan", "Nur Hasanah",
         "Yusuf Hidayat", "Ratna Sari", "Hendra Gunawan", "Wati Suryani"]

# (days ago received, category, channel, subject, description, path)
# path: the steps after filing, each (kind, days ago[, text]).
PLAN: list[tuple[int, str, str, str, str, list[tuple]]] = [
    (1, "aid_not_received", "portal", "BLT bulan ini belum diterima",
     "Nama saya ada di daftar penerima, tetapi bantuan bulan ini belum masuk ke rekening.", []),
    (9, "aid_not_received", "phone", "Kartu KKS tidak bisa dipakai",
     "Kartu ditolak di agen bank sejak dua minggu lalu.", []),  # no answer: first response overdue
    (4, "service_quality", "office", "Antrean pencairan terlalu lama",
     "Warga lansia menunggu lebih dari 4 jam tanpa tempat duduk.",
     [("respond", 3, "Terima kasih, kami sampaikan kepada penyalur untuk menambah loket.")]),
    (20, "data_correction", "rtrw", "Anggota keluarga meninggal masih tercatat",
     "Ayah kami meninggal bulan lalu tetapi masih tercatat di KK penerima.",
     [("respond", 18, "Mohon bawa akta kematian ke kantor kelurahan.")]),  # resolution overdue
    (12, "wrongly_excluded", "portal", "Keluarga kami tidak terdaftar",
     "Suami di-PHK dan kami tidak punya penghasilan tetap, tetapi tidak pernah didata.",
     [("respond", 11, "Petugas RW akan mendatangi rumah Anda minggu ini."),
      ("reclassify", 10, "field", "Perlu verifikasi lapangan oleh petugas RW."),
      ("resolve", 2, "Hasil kunjungan: keluarga diusulkan masuk daftar penerima periode berikut.")]),
    (15, "wrongly_included", "office", "Penerima bantuan mampu",
     "Tetangga kami punya mobil dan usaha, tetapi menerima bantuan.",
     [("respond", 14, "Laporan diteruskan ke petugas program."),
      ("resolve", 8, "Sudah diverifikasi: rumah tangga tersebut dikeluarkan dari daftar."),
      ("accept", 7)]),
    (25, "aid_not_received", "portal", "Bantuan pendidikan anak belum cair",
     "KJP anak kami belum cair semester ini.",
     [("respond", 24, "Sedang dicek ke sekolah."), ("resolve", 20, "Sudah cair tanggal 10."),
      ("appeal", 19, "Yang cair hanya satu bulan, bukan tiga bulan."),
      ("resolve", 5, "Kekurangan dua bulan sudah ditransfer.")]),
    (8, "service_quality", "phone", "Petugas tidak ramah",
     "Petugas membentak warga saat pendaftaran pelatihan.",
     [("respond", 7, "Kami mohon maaf; petugas sudah ditegur."), ("resolve", 5, "Petugas sudah dibina."),
      ("appeal", 3, "Petugas yang sama masih bersikap sama.")]),
    (6, "other", "portal", "Permintaan bantuan sembako pribadi",
     "Mohon dikirimi sembako ke rumah.",
     [("reject", 5, "Permintaan ini bukan pengaduan; silakan daftar lewat program yang dibuka.")]),
    (5, "aid_not_received", "portal", "BLT belum diterima (laporan kedua)",
     "Saya sudah lapor kemarin, bantuan belum masuk.", [("duplicate", 4, "Sama dengan laporan sebelumnya.")]),
    (30, "data_correction", "rtrw", "Alamat salah di data penerima",
     "Alamat tercatat di RT lain.",
     [("respond", 29, "Diperbaiki oleh petugas RW."), ("resolve", 27, "Alamat sudah diperbaiki."),
      ("accept", 26)]),
    (3, "fraud", "portal", "Dugaan pungutan liar saat pencairan",
     "Ada oknum meminta Rp50.000 dari setiap penerima saat pencairan di balai warga.", []),
    (70, "fraud", "office", "Penerima fiktif di daftar bantuan",
     "Ada nama penerima yang tidak pernah tinggal di RT ini.",
     [("respond", 68, "Laporan dicatat; pemeriksaan lapangan dijadwalkan.")]),  # 60-day field check: overdue
    (2, "wrongly_excluded", "phone", "Lansia sebatang kara belum dapat bantuan",
     "Nenek di sebelah rumah tinggal sendiri dan tidak punya penghasilan.", []),
]


def _ago(now: dt.datetime, days: int, hour: int = 10) -> dt.datetime:
    return (now - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@transaction.atomic
def demo_grievances_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    if Grievance.objects.exists():
        return None
    rng = random.Random(seed)
    now = timezone.now()
    programs = list(Program.objects.exclude(status=ProgramStatus.DRAFT).order_by("pk"))
    households = list(Household.objects.filter(status="active").select_related("rt__rw").order_by("pk")[:400])
    resident = (User.objects.filter(username="warga.rw01", role=Role.RESIDENT, is_active=True).first()
                or User.objects.filter(role=Role.RESIDENT, is_active=True, household__isnull=False).order_by("pk").first())
    staff = {"office": actor,
             "phone": User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk").first() or actor,
             "rtrw": User.objects.filter(role=Role.SURVEYOR, is_active=True).order_by("pk").first() or actor}
    made: list[Grievance] = []
    first_portal = None
    for i, (days, category, channel, subject, description, path) in enumerate(PLAN):
        received = _ago(now, days, hour=8 + i % 8)
        program = programs[i % len(programs)] if programs and i % 3 != 2 else None
        data: dict[str, Any] = {"category": category, "subject": subject, "description": description,
                                "program": program.pk if program else None}
        complainant = None
        if category == "fraud":
            data["anonymous"] = True
            if households:
                data["rw"] = households[rng.randrange(len(households))].rt.rw_id
        elif channel == "portal" and resident is not None and i % 2 == 0:
            complainant = resident
        else:
            data["name"] = NAMES[i % len(NAMES)]
            data["phone"] = f"08{rng.randrange(10**9, 10**10)}"
        if channel == "portal":
            g = s.grievance_file(actor=complainant, data=data, now=received)
        else:
            recorder = staff[channel]
            if recorder.role == Role.SURVEYOR:
                data.pop("rw", None)
            elif households and category != "fraud":
                home = households[rng.randrange(len(households))]
                data["complainant_household"] = home.pk if recorder.role == Role.ADMIN else None
                if data["complainant_household"]:
                    data.pop("name", None)
            data["channel"] = channel
            if recorder.role == Role.OFFICER:
                data["program"] = None
            g = s.grievance_record(actor=recorder, data=data, now=received)
        if first_portal is None and channel == "portal" and category == "aid_not_received":
            first_portal = g
        handler = actor
        for step in path:
            kind, ago = step[0], step[1]
            when = _ago(now, ago, hour=13)
            g.refresh_from_db()
            if kind == "respond":
                s.grievance_respond(actor=handler, grievance=g, message=step[2], now=when)
            elif kind == "reclassify":
                s.grievance_reclassify(actor=handler, grievance=g, track=step[2], reason=step[3], now=when)
            elif kind == "resolve":
                s.grievance_resolve(actor=handler, grievance=g, resolution=step[2], now=when)
            elif kind == "reject":
                s.grievance_reject(actor=handler, grievance=g, reason=step[2], now=when)
            elif kind == "duplicate":
                s.grievance_reject(actor=handler, grievance=g, reason=step[2], duplicate_of=first_portal, now=when)
            elif kind in ("accept", "appeal"):
                who = g.complainant_user if g.complainant_user_id else None
                phone = None if who else g.complainant_phone
                if kind == "accept":
                    s.grievance_accept(actor=who, grievance=g, phone=phone, now=when)
                else:
                    s.grievance_appeal(actor=who, grievance=g, phone=phone, reason=step[2], now=when)
        made.append(g)
    for g in made[1:4]:  # a few assigned to an officer of the program's agency
        g.refresh_from_db()
        if g.state in ("received", "in_progress", "appealed"):
            officer = User.objects.filter(role=Role.OFFICER, is_active=True,
                                          agency_id=g.agency_id or (g.program.agency_id if g.program_id else None)
                                          ).order_by("pk").first()
            if officer is not None:
                s.grievance_assign(actor=actor, grievance=g, assignee=officer, now=g.received_at)
    escalated = s.grievances_escalate(now=now)
    return {"grievances": len(made), "escalated": escalated["response"] + escalated["resolution"],
            "open": Grievance.objects.filter(state__in=("received", "in_progress", "appealed")).count(),
            "line": f"{len(made)} pengaduan, {escalated['response'] + escalated['resolution']} dieskalasi."}

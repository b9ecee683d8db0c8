"""Demo data of the forums app, made through its services.

Every RW forum gets two threads (a resident's question with an official answer from the RW officer or the
kelurahan admin, and a neighbourhood topic with replies). RW 01 also shows moderation: an abusive reply
that was reported and hidden, and an open report in the moderators' queue. The training programs get a
program forum with a participant's question and the agency's official answer; the women's and youth
forums an opening post each. Participants rate the sessions they attended and the programs they take
part in. Posts need resident accounts: the demo resident ``warga.rw01`` and, for the other authors,
accounts without a password (``warga.demo.<household id>``) tied to a household head, as the portal's
activation would tie them.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import transaction

from bansos.accounts.models import Role, User
from bansos.core.errors import DomainError
from bansos.forums.access import PARTICIPATING
from bansos.forums.models import ProgramFeedback, Reply, Report, Thread
from bansos.forums.services import feedback, moderation, posts

QUESTIONS = [
    ("Jadwal posyandu bulan ini?", "Selamat pagi, kapan posyandu di RW kita buka bulan ini dan di mana tempatnya?",
     "Posyandu buka Selasa minggu kedua pukul 08.00 di balai warga. Bawa buku KIA ya, Bu."),
    ("Cara daftar pelatihan menjahit", "Bagaimana cara mendaftar pelatihan menjahit untuk ibu-ibu? Syaratnya apa?",
     "Pendaftaran lewat portal warga (menu Program) atau datang ke kantor kelurahan membawa KK. "
     "Prioritas untuk perempuan kepala keluarga."),
    ("Bantuan pangan belum diterima", "Keluarga kami terdaftar tapi bantuan bulan lalu belum sampai. Harus ke mana?",
     "Silakan ajukan pengaduan di portal (kategori bantuan tidak diterima); petugas akan memeriksa dalam 5 hari."),
    ("Pembagian beras lansia", "Apakah pembagian beras untuk lansia tetap di masjid seperti kemarin?",
     "Ya, tetap di halaman masjid, Sabtu pukul 09.00. Lansia yang sakit boleh diwakilkan keluarga."),
]
TOPICS = [
    ("Kerja bakti saluran air", "Minggu depan kita kerja bakti membersihkan saluran air sebelum musim hujan. Siapa ikut?",
     ["Saya ikut, bawa cangkul.", "Ikut, jam berapa mulainya?", "Nanti saya siapkan minum untuk yang kerja bakti."]),
    ("Lampu jalan mati di gang", "Lampu jalan di gang dekat musala sudah seminggu mati, malam jadi gelap.",
     ["Betul, anak-anak jadi takut lewat.", "Sudah saya sampaikan ke pengurus RT."]),
    ("Bank sampah RW", "Ada yang mau ikut menghidupkan lagi bank sampah? Lumayan untuk tambahan kas warga.",
     ["Setuju, saya punya banyak botol plastik.", "Ibu-ibu PKK siap bantu mencatat."]),
]
PROGRAM_QUESTIONS = [
    ("Jadwal pertemuan berikutnya", "Pertemuan berikutnya tetap di tempat yang sama? Saya sempat izin minggu lalu.",
     "Tetap di tempat yang sama. Materi minggu lalu bisa ditanyakan ke pelatih sebelum kelas dimulai."),
]
PROGRAM_COMMENTS = ["Sangat membantu keluarga kami.", "Pencairannya kadang terlambat.", "Petugasnya ramah.",
                    "Informasinya jelas.", ""]


def _author(household) -> User | None:
    """A resident account for ``household`` (its head): the demo resident's own, or a passwordless one."""
    existing = User.objects.filter(role=Role.RESIDENT, household=household, resident__isnull=False).first()
    if existing:
        return existing
    head = household.head
    if head is None:
        return None
    user = User(username=f"warga.demo.{household.pk}", role=Role.RESIDENT, household=household, resident=head,
                first_name=head.full_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def _moderator(forum, admin):
    surveyor = User.objects.filter(role=Role.SURVEYOR, rw=forum.rw, is_active=True).order_by("pk").first()
    return surveyor or admin


def _rw_forums(admin, rng: random.Random, counts: dict[str, int]) -> None:
    from bansos.core.models import RW
    from bansos.registry.models import Household

    for rw in RW.objects.order_by("number"):
        homes = list(Household.objects.filter(rt__rw=rw, status="active").prefetch_related("residents")
                     .order_by("pk")[:40])
        if len(homes) < 4:
            continue
        forum = posts.forum_for_rw(rw=rw)
        moderator = _moderator(forum, admin)
        picked = rng.sample(homes, 4)
        if rw.number == 1:
            own = User.objects.filter(username="warga.rw01", household__isnull=False).first()
            if own is not None and own.household.rt.rw_id == rw.pk:
                picked[0] = own.household
        authors = [a for a in (_author(h) for h in picked) if a is not None]
        if len(authors) < 3:
            continue
        title, body, answer = QUESTIONS[(rw.number - 1) % len(QUESTIONS)]
        question = posts.thread_create(actor=authors[0], forum=forum, title=title, body=body)
        posts.reply_create(actor=moderator, thread=question, body=answer, official=True)
        posts.reply_create(actor=authors[1], thread=question, body="Terima kasih infonya.")
        title, body, replies = TOPICS[(rw.number - 1) % len(TOPICS)]
        topic = posts.thread_create(actor=authors[2], forum=forum, title=title, body=body)
        for i, text in enumerate(replies):
            posts.reply_create(actor=authors[i % 2], thread=topic, body=text)
        counts["threads"] += 2
        counts["replies"] += 2 + len(replies)
        if rw.number == 1:
            # Moderation: an abusive reply reported by a neighbour and hidden; another one still in the queue.
            rude = posts.reply_create(actor=authors[1], thread=topic, body="Yang tidak ikut kerja bakti itu pemalas semua!")
            report = moderation.report_create(actor=authors[0], thread=topic, reply=rude,
                                              reason="Menghina warga yang berhalangan hadir.")
            moderation.report_review(actor=moderator, report=report, decision="hide",
                                     note="Menghina warga; mohon jaga bahasa di forum.")
            doubtful = posts.reply_create(actor=authors[0], thread=question,
                                          body="Katanya bantuan hanya untuk kenalan pengurus RT.")
            moderation.report_create(actor=authors[2], thread=question, reply=doubtful,
                                     reason="Tuduhan tanpa bukti kepada pengurus RT.")
            counts["replies"] += 2


def _program_forums(admin, rng: random.Random, counts: dict[str, int]) -> None:
    from bansos.programs.models import Enrollment, Program

    for program in Program.objects.filter(kind="training").exclude(status="draft").order_by("pk"):
        forum = posts.forum_for_program(program=program)
        officer = User.objects.filter(role=Role.OFFICER, agency_id=program.agency_id, is_active=True) \
            .order_by("pk").first() or admin
        households = [e.household for e in Enrollment.objects.filter(program=program, state__in=PARTICIPATING)
                      .select_related("household").prefetch_related("household__residents").order_by("pk")[:2]]
        authors = [a for a in (_author(h) for h in households) if a is not None]
        if not authors:
            continue
        for title, body, answer in PROGRAM_QUESTIONS:
            thread = posts.thread_create(actor=authors[0], forum=forum, title=title, body=body)
            posts.reply_create(actor=officer, thread=thread, body=answer, official=True)
            if len(authors) > 1:
                posts.reply_create(actor=authors[1], thread=thread, body="Saya juga ingin tahu, terima kasih.")
                counts["replies"] += 1
            counts["threads"] += 1
            counts["replies"] += 1


def _group_forums(admin, counts: dict[str, int]) -> None:
    welcome = {
        "women": ("Ruang ibu-ibu dan perempuan Duri Kepa",
                  "Forum ini tempat berbagi pengalaman usaha, pelatihan dan pengasuhan. Silakan bertanya."),
        "youth": ("Ruang pemuda: usulan kegiatan",
                  "Punya ide kegiatan pemuda? Tulis di sini, lalu ajukan sebagai usulan program di portal."),
    }
    for group, (title, body) in welcome.items():
        forum = posts.forum_for_group(group=group)
        posts.thread_create(actor=admin, forum=forum, title=title, body=body)
        counts["threads"] += 1


def _ratings(rng: random.Random, counts: dict[str, int]) -> None:
    """Participants rate the sessions they attended and their programs (through their own accounts)."""
    from bansos.programs.models import Enrollment
    from bansos.training.models import Attendance

    rows = (Attendance.objects.filter(present=True, participant__resident__relation="head")
            .select_related("session", "participant__household").order_by("participant_id", "session__number"))
    seen: set[int] = set()
    for row in rows:
        participant = row.participant
        if participant.pk not in seen and len(seen) >= 12:
            continue
        seen.add(participant.pk)
        author = _author(participant.household)
        if author is None or author.resident_id != participant.resident_id:
            continue
        try:
            feedback.session_feedback_record(actor=author, session=row.session, rating=rng.choice([3, 4, 4, 5, 5]),
                                             comment=rng.choice(PROGRAM_COMMENTS[2:]))
            counts["session_ratings"] += 1
        except DomainError:
            continue
    enrollments = (Enrollment.objects.filter(state__in=PARTICIPATING).select_related("program", "household")
                   .prefetch_related("household__residents").order_by("pk"))
    per_program: dict[int, int] = {}
    for enrollment in enrollments:
        if per_program.get(enrollment.program_id, 0) >= 6:
            continue
        author = _author(enrollment.household)
        if author is None:
            continue
        try:
            feedback.program_feedback_record(actor=author, program=enrollment.program,
                                             rating=rng.choice([2, 3, 4, 4, 5, 5]),
                                             comment=rng.choice(PROGRAM_COMMENTS))
        except DomainError:
            continue
        per_program[enrollment.program_id] = per_program.get(enrollment.program_id, 0) + 1
        counts["program_ratings"] += 1


def demo_forums_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    if Thread.objects.exists():
        return None
    start = time.monotonic()
    rng = random.Random(seed + 8)
    counts = {"threads": 0, "replies": 0, "session_ratings": 0, "program_ratings": 0}
    with transaction.atomic():
        _rw_forums(actor, rng, counts)
        _program_forums(actor, rng, counts)
        _group_forums(actor, counts)
        _ratings(rng, counts)
    counts["reports"] = Report.objects.count()
    counts["hidden"] = Reply.objects.filter(hidden_at__isnull=False).count()
    counts["program_ratings"] = ProgramFeedback.objects.count()
    counts["seconds"] = time.monotonic() - start
    counts["line"] = (f"{counts['threads']} utas forum, {counts['replies']} balasan, {counts['reports']} laporan "
                      f"penyalahgunaan ({counts['hidden']} disembunyikan), {counts['session_ratings']} penilaian "
                      f"pertemuan, {counts['program_ratings']} penilaian program ({counts['seconds']:.1f} detik).")
    return counts

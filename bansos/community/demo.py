"""Demo data of the community app, made through its services.

The beneficiary list shows the household programs (cash, UMKM) of agencies that agreed, to signed-in
residents of the RW; person programs (training, education, health: children's and health data) stay off it.
Resident accounts of the demo (without a usable password: nobody signs in as them) file nominations and
objections in every state and support three youth proposals; one proposal becomes a program draft of the
Karang Taruna.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bansos.accounts.models import Agency, AgencyKind, Role, User
from bansos.community.models import Nomination, Proposal
from bansos.community.selectors import LISTED_STATES
from bansos.community.services import cases, listing, proposals
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.core.models import RW
from bansos.programs.models import Enrollment, Program, ProgramKind, ProgramStatus
from bansos.programs.services.enrollment import ACCEPTING
from bansos.registry.models import Household, HouseholdStatus, Relation, Resident, ResidentStatus
from bansos.registry.models.household import YOUTH_AGES

LISTED_KINDS = (ProgramKind.CASH, ProgramKind.ENTERPRISE)
ACCOUNTS_PER_RW = 3

NOMINATION_REASONS = (
    "Suami baru meninggal, ibu menghidupi tiga anak dari berjualan kue keliling.",
    "Kepala keluarga kena PHK enam bulan lalu dan belum bekerja lagi.",
    "Rumahnya bocor dan penghasilan harian tidak menentu; belum pernah menerima bantuan.",
    "Lansia tinggal sendiri, tidak punya penghasilan tetap.",
    "Keluarga kami baru pindah KK ke Duri Kepa dan belum terdata untuk bantuan.",
    "Anak-anaknya putus sekolah karena biaya; ibunya buruh cuci.",
)
OBJECTION_REASONS = (
    "Keluarga ini sudah punya mobil dan usaha toko bangunan yang ramai.",
    "Setahu saya keluarga ini sudah pindah ke Tangerang sejak tahun lalu.",
    "Suaminya pegawai tetap di perusahaan besar, penghasilannya cukup.",
    "Rumahnya baru direnovasi dua lantai dan disewakan sebagian.",
    "Penerima ini sudah meninggal, bantuannya masih diambil kerabat.",
    "Keluarga ini menerima bantuan yang sama dari dua lembaga.",
)
PROPOSALS = (
    ("Pelatihan Desain Grafis untuk Remaja Putus Sekolah",
     "Kelas desain grafis dua kali seminggu selama tiga bulan di balai RW, dengan laptop pinjaman dari "
     "karang taruna. Peserta membuat portofolio dan dibantu mencari pekerjaan lepas.", 12_500_000, "youth"),
    ("Bank Sampah dan Kebun Gizi Gang",
     "Pemuda mengelola bank sampah di setiap RT; hasil penjualan sampah dipakai untuk kebun sayur di lahan "
     "kosong, sayurnya dibagikan kepada keluarga dengan balita.", 8_000_000, "poor"),
    ("Bimbingan Belajar Gratis Malam Hari",
     "Mahasiswa dan pemuda mengajar anak SD dan SMP tiga malam seminggu di musala dan pos RW, terutama "
     "anak penerima bantuan pendidikan.", 6_000_000, "children"),
    ("Turnamen Futsal Antar-RW",
     "Turnamen futsal tahunan dengan hadiah uang tunai untuk pemenang.", 25_000_000, "youth"),
)


def _today() -> dt.date:
    return timezone.localdate()


def _account(username: str, household: Household, resident: Resident) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=resident.full_name, role=Role.RESIDENT, household=household,
                    resident=resident)
        user.set_unusable_password()  # demo residents: nobody signs in as them
        user.save()
        audit_log(actor=None, action="user.create", obj=user, reason="data demo",
                  changes={"role": [None, Role.RESIDENT], "scope": [None, f"KK {household.kk_number}"]})
    return user


def _residents(rng: random.Random) -> tuple[list[User], list[User]]:
    """Resident accounts: a few heads per RW, and youth accounts for the proposals."""
    heads = Resident.objects.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE,
                                    household__status=HouseholdStatus.ACTIVE)
    accounts = [u for u in [User.objects.filter(username="warga.rw01").select_related("household__rt").first()]
                if u and u.household_id]
    for rw in RW.objects.order_by("number"):
        ids = list(heads.filter(household__rt__rw=rw).order_by("pk").values_list("pk", flat=True)[:200])
        for i, pk in enumerate(rng.sample(ids, min(ACCOUNTS_PER_RW, len(ids)))):
            person = Resident.objects.select_related("household__rt").get(pk=pk)
            accounts.append(_account(f"warga.rw{rw.number:02d}.{i + 1}", person.household, person))
    today = _today()
    born_after = today.replace(year=today.year - YOUTH_AGES[1] - 1) + dt.timedelta(days=1)
    born_before = today.replace(year=today.year - YOUTH_AGES[0] - 1)
    youth_ids = list(Resident.objects.filter(status=ResidentStatus.ACTIVE, household__status=HouseholdStatus.ACTIVE,
                                             birth_date__gte=born_after, birth_date__lte=born_before)
                     .order_by("pk").values_list("pk", flat=True)[:500])
    youth = []
    for i, pk in enumerate(rng.sample(youth_ids, min(len(PROPOSALS), len(youth_ids)))):
        person = Resident.objects.select_related("household__rt").get(pk=pk)
        youth.append(_account(f"pemuda.{i + 1}", person.household, person))
    return accounts, youth


def _decider(household: Household, admin) -> Any:
    surveyor = User.objects.filter(role=Role.SURVEYOR, rw_id=household.rt.rw_id, rt__isnull=True,
                                   is_active=True).order_by("pk").first()
    return surveyor or admin


def _nominations(rng: random.Random, admin, accounts: list[User]) -> int:
    programs = list(Program.objects.filter(status__in=ACCEPTING, participant="household").order_by("pk"))
    if not programs:
        return 0
    plan = ["submitted", "submitted", "checked", "accepted", "accepted", "rejected", "checked"]
    made = 0
    for i, state in enumerate(plan):
        nominator = accounts[i % len(accounts)]
        program = programs[i % len(programs)]
        enrolled = Enrollment.objects.filter(program=program).values("household_id")
        neighbour = (Household.objects.filter(rt__rw_id=nominator.household.rt.rw_id, status=HouseholdStatus.ACTIVE)
                     .exclude(pk__in=enrolled).exclude(pk=nominator.household_id).order_by("pk"))
        candidates = list(neighbour.values_list("pk", flat=True)[:50])
        if not candidates:
            continue
        household = Household.objects.get(pk=rng.choice(candidates))
        try:
            case = cases.nomination_create(actor=nominator, program=program, relation="neighbour",
                                           reason=NOMINATION_REASONS[i % len(NOMINATION_REASONS)],
                                           kk_number=household.kk_number)
            made += 1
            if state == "submitted":
                continue
            decider = _decider(household, admin)
            cases.nomination_check(actor=decider, nomination=case, date=_today() - dt.timedelta(days=3 + i),
                                   note="Kunjungan rumah bersama Ketua RT; kondisi sesuai keterangan pengusul."
                                   if state != "rejected" else
                                   "Kunjungan rumah: keluarga sudah menerima bantuan serupa dari lembaga lain.")
            if state == "checked":
                continue
            # The RT/RW officer may apply for its RW only through the programs' own rules; the admin decides
            # when the officer's scope does not reach the program (enrollment_apply's nomination channel).
            cases.nomination_decide(actor=decider if state == "rejected" else admin, nomination=case,
                                    accept=state == "accepted",
                                    reason="Layak diusulkan; diteruskan ke lembaga untuk verifikasi."
                                    if state == "accepted" else "Sudah menerima bantuan serupa; tidak diusulkan.")
        except DomainError:
            continue
    return made


def _objections(rng: random.Random, admin, accounts: list[User], listed: list[Program]) -> int:
    # The finding first: it needs the RW of an RT/RW officer, where listed beneficiaries may be few.
    plan = ["finding", "suspended", "submitted", "checked", "rejected", "submitted"]
    made = 0
    surveyed = set(User.objects.filter(role=Role.SURVEYOR, is_active=True).values_list("rw_id", flat=True))
    for i, state in enumerate(plan):
        enrollment = objector = None
        # The next account (from a rotating start) with a listed beneficiary in its RW to object to; a finding
        # needs an RT/RW officer in that RW to accept it.
        for k in range(len(accounts)):
            candidate = accounts[(i * 2 + 1 + k) % len(accounts)]
            rw_id = candidate.household.rt.rw_id
            if state == "finding" and rw_id not in surveyed:
                continue
            ids = list(Enrollment.objects.filter(program__in=listed, state__in=LISTED_STATES,
                                                 household__rt__rw_id=rw_id)
                       .exclude(household_id=candidate.household_id).exclude(objections__isnull=False)
                       .order_by("pk").values_list("pk", flat=True)[:100])
            if ids:
                objector = candidate
                enrollment = Enrollment.objects.select_related("program", "household__rt").get(pk=rng.choice(ids))
                break
        if enrollment is None:
            continue
        try:
            case = cases.objection_create(actor=objector, enrollment=enrollment,
                                          reason=OBJECTION_REASONS[i % len(OBJECTION_REASONS)])
            made += 1
            if state == "submitted":
                continue
            surveyor = _decider(enrollment.household, None)
            checker = surveyor or admin
            cases.objection_check(actor=checker, objection=case, date=_today() - dt.timedelta(days=2 + i),
                                  note="Dicek bersama Ketua RT; keterangan penyanggah sebagian benar."
                                  if state != "rejected" else "Dicek ke rumah: keluarga masih memenuhi kriteria.")
            if state == "checked":
                continue
            if state == "finding" and surveyor is not None:
                decider = surveyor  # an RT/RW officer: a finding for the program's agency
            else:
                decider = admin
            cases.objection_decide(actor=decider, objection=case, accept=state != "rejected",
                                   reason="Hasil cek lapangan membenarkan sanggah; kepesertaan ditinjau ulang."
                                   if state != "rejected" else "Keluarga masih memenuhi kriteria program.")
        except DomainError:
            continue
    return made


def _proposals(rng: random.Random, admin, youth: list[User], accounts: list[User]) -> tuple[int, int]:
    made = votes = 0
    agency = (Agency.objects.filter(kind=AgencyKind.COMMUNITY, is_active=True).order_by("pk").first()
              or Agency.objects.filter(kind=AgencyKind.GOVERNMENT, is_active=True).order_by("pk").first())
    for i, (title, description, budget, group) in enumerate(PROPOSALS[:len(youth)]):
        proposer = youth[i]
        proposal = proposals.proposal_create(actor=proposer, data={
            "title": title, "description": description, "budget_estimate": budget, "target_group": group,
            "rw": proposer.household.rt.rw})
        made += 1
        supporters = [a for a in accounts + youth if a.pk != proposer.pk]
        for voter in rng.sample(supporters, min(len(supporters), rng.randint(3, 3 + 2 * (len(PROPOSALS) - i)))):
            try:
                proposals.proposal_support(actor=voter, proposal=proposal)
                votes += 1
            except DomainError:
                continue
        if i == 0 and agency is not None:
            start = _today().replace(day=1) + dt.timedelta(days=32)
            start = start.replace(day=1)
            proposals.proposal_approve(
                actor=admin, proposal=proposal, agency=agency, start_date=start,
                end_date=start + dt.timedelta(days=120),
                answer="Disetujui. Kelurahan menyiapkan balai RW dan mengajukan anggaran bersama Karang Taruna; "
                       "pendaftaran peserta dibuka setelah program disahkan.")
        elif i == 1:
            proposals.proposal_answer(
                actor=admin, proposal=proposal,
                answer="Usulan baik. Kelurahan sedang mencari lahan dan mitra bank sampah; mohon lengkapi rencana "
                       "pengelolaan per RT.")
        elif i == 3:
            proposals.proposal_decline(
                actor=admin, proposal=proposal,
                answer="Hadiah uang tunai tidak dapat dibiayai dari dana sosial. Silakan ajukan ulang sebagai "
                       "kegiatan olahraga pemuda tanpa hadiah uang.")
    return made, votes


def demo_community_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    if Proposal.objects.exists() or Nomination.objects.exists():
        return None
    rng = random.Random(seed + 808)
    with transaction.atomic():
        listed = list(Program.objects.filter(kind__in=LISTED_KINDS).exclude(status=ProgramStatus.DRAFT)
                      .order_by("pk"))
        agencies = list(Agency.objects.filter(Q(programs__in=listed) | Q(kind=AgencyKind.COMMUNITY))
                        .exclude(kind=AgencyKind.BUSINESS).distinct().order_by("pk"))
        listing.listing_settings_update(actor=actor, enabled=True, audience="residents", masking="stars",
                                        programs=listed, agencies=agencies)
        listed = [p for p in listed if p.agency_id in {a.pk for a in agencies}]
        accounts, youth = _residents(rng)
        if not accounts:
            return {"line": "Usul/sanggah: belum ada warga."}
        nominations = _nominations(rng, actor, accounts)
        objections = _objections(rng, actor, accounts, listed)
        made, votes = _proposals(rng, actor, youth, accounts)
    return {"nominations": nominations, "objections": objections, "proposals": made, "votes": votes,
            "line": f"{nominations} usul, {objections} sanggah, {made} usulan pemuda dengan {votes} dukungan."}

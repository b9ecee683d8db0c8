"""Programs of the Duri Kepa demo: partner agencies, funding, eight programs, enrolments, referrals.

Called by the demo command after the registry, the welfare scores and the example eligibility
rules exist. Everything goes through the programs services (and so through their checks, the
budget guarantee, the overlap policies and the audit trail), as the staff of each agency would
do it: the agency's officer where the demo has one, the kelurahan admin otherwise. The big cash
program enrols a rule run in bulk; person programs (students, the elderly, mothers and toddlers,
youth) take the right member one by one, a few dozen each, so the demo stays fast (a few seconds
on 20,000 households). Reproducible from ``seed``: the people chosen depend only on the seed and
the registry; periods fall in the generator's reference year.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.db.models import Q

from bansos.accounts.models import Agency, Role, User
from bansos.core.audit import audit_log
from bansos.demo.generator import default_reference
from bansos.eligibility.models import EligibilityRule, RuleRun, RunStatus, RuleStatus
from bansos.programs.models import (
    Enrollment, EnrollmentState, OverlapPolicy, PolicyEffect, Program, ProgramKind, ProgramStatus, Referral,
)
from bansos.programs.services import bulk, enrollment, funding, overlap, programs, referrals
from bansos.registry.models import HouseholdStatus, Relation, Resident, ResidentStatus

# key -> (name, kind, contact). The names are the demo's partner agencies (bansos.demo.services);
# any that is missing is created here.
AGENCIES: dict[str, tuple[str, str, str]] = {
    "dinsos": ("Suku Dinas Sosial Jakarta Barat", "government", "Jl. Raya Kembangan No. 2, Jakarta Barat"),
    "education": ("Suku Dinas Pendidikan Wilayah II Jakarta Barat", "government",
                  "Jl. Kamal Raya, Cengkareng, Jakarta Barat"),
    "puskesmas": ("Puskesmas Kecamatan Kebon Jeruk", "government", "Jl. Raya Kebon Jeruk, Jakarta Barat"),
    "ngo": ("Yayasan Peduli Duri Kepa", "ngo", "Jl. Duri Raya, Duri Kepa"),
    "company": ("CSR PT Sentosa Makmur Abadi", "business", "Unit tanggung jawab sosial perusahaan"),
    "youth": ("Karang Taruna Duri Kepa", "community", "Sekretariat RW 01, Duri Kepa"),
}

# Example rules of the demo (bansos.eligibility.bench.BENCH_RULES) by the program they fit.
RULE_BLT = "BLT keluarga rentan"
RULE_ELDERLY = "Bantuan lansia"
RULE_EDUCATION = "Bantuan pendidikan (gaya KJP)"
RULE_ENTERPRISE = "UMKM pemula"

SEWING_RULE = {"all": [
    {"p": "female_head", "op": "is", "value": True},
    {"p": "welfare_decile", "op": "between", "value": [1, 4]},
    {"p": "rw", "op": "in", "value": [2]},
]}

REJECT_REASONS = (
    "Keluarga sudah pindah domisili ke luar Duri Kepa (hasil kunjungan RT).",
    "Penghasilan keluarga di atas batas setelah verifikasi lapangan.",
    "Data KK tidak sesuai dengan kondisi di lapangan; diminta memperbarui data di kelurahan.",
    "Tidak dapat ditemui pada dua kali kunjungan verifikasi.",
)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _round_up(amount: int, step: int = 50_000_000) -> int:
    return -(-amount // step) * step


class _Demo:
    """One demo build: the shared state (actors, random source, reference year) of the steps below."""

    def __init__(self, *, actor, seed: int) -> None:
        self.admin = actor
        self.rng = random.Random(f"programs-{seed}")
        self.reference = default_reference()
        self.year = self.reference.year
        self.agencies: dict[str, Agency] = {}
        self.actors: dict[int, Any] = {}

    # --- Set-up ---------------------------------------------------------------------------------

    def agencies_ensure(self) -> None:
        for key, (name, kind, contact) in AGENCIES.items():
            agency, created = Agency.objects.get_or_create(name=name, defaults={"kind": kind, "contact": contact})
            if created:
                audit_log(actor=None, action="agency.create", obj=agency,
                          changes={"name": [None, name], "kind": [None, kind]}, reason="data demo")
            self.agencies[key] = agency
        officers = User.objects.filter(role=Role.OFFICER, is_active=True, agency__in=self.agencies.values())
        for officer in officers.order_by("pk"):
            self.actors.setdefault(officer.agency_id, officer)

    def staff(self, program: Program):
        """Who does the program's day-to-day work: its agency's officer, else the kelurahan admin."""
        return self.actors.get(program.agency_id, self.admin)

    def policies_ensure(self) -> None:
        for kinds, effect, note in (
            ((ProgramKind.CASH, ProgramKind.CASH), PolicyEffect.FORBID,
             "Dua bantuan tunai untuk keluarga yang sama pada periode yang sama tidak diperbolehkan."),
            ((ProgramKind.TRAINING, ProgramKind.TRAINING), PolicyEffect.WARN,
             "Dua pelatihan sekaligus: pastikan jadwalnya tidak bentrok dan kuota dipakai merata."),
        ):
            if not OverlapPolicy.objects.filter(kind_a=kinds[0], kind_b=kinds[1]).exists():
                overlap.overlap_policy_create(actor=self.admin, data={
                    "kind_a": kinds[0], "kind_b": kinds[1], "effect": effect, "same_period": True, "note": note})

    def example_run(self, name: str) -> tuple[EligibilityRule | None, RuleRun | None]:
        """The example rule ``name`` and a finished run of it (its queued run is evaluated here)."""
        rule = EligibilityRule.objects.filter(name=name, agency__isnull=True).order_by("pk").first()
        if rule is None:
            return None, None
        run = rule.runs.order_by("-pk").first()
        if run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
            from bansos.eligibility.services import rule_run_execute

            rule_run_execute(run.pk)  # the worker then finds it done and leaves it
            run.refresh_from_db()
        return rule, (run if run is not None and run.status == RunStatus.DONE else None)

    def agency_rule(self, agency: Agency, name: str, expression: dict, description: str):
        from bansos.eligibility.services import rule_create, rule_run_execute, rule_run_start, rule_status_set

        rule = rule_create(actor=self.admin, name=name, agency=agency, expression=expression,
                           description=description)
        rule_status_set(actor=self.admin, rule=rule, status=RuleStatus.ACTIVE)
        run = rule_run_start(actor=self.admin, rule=rule, reference_date=self.reference)
        rule_run_execute(run.pk)
        run.refresh_from_db()
        return rule, run

    def source(self, *, name: str, kind: str, amount: int, agency: Agency | None = None, shared: bool = True,
               note: str = ""):
        return funding.funding_source_create(actor=self.admin, data={
            "name": name, "kind": kind, "agency": agency, "shared": shared, "fiscal_year": self.year,
            "amount": amount, "note": note})

    def program(self, *, agency: str, sources: list[tuple[Any, int]], status: str = ProgramStatus.RUNNING,
                **data) -> Program:
        data.setdefault("start_date", dt.date(self.year, 1, 1))
        data.setdefault("end_date", dt.date(self.year, 12, 31))
        data.setdefault("description", "")
        program = programs.program_create(actor=self.admin, data={"agency": self.agencies[agency], **data})
        for source, amount in sources:
            if amount > 0:
                funding.funding_allocate(actor=self.admin, source=source, program=program, amount=amount,
                                         note="Alokasi awal tahun anggaran")
        programs.program_status_set(actor=self.admin, program=program, status=ProgramStatus.OPEN,
                                    reason="Pendaftaran dibuka")
        if status == ProgramStatus.RUNNING:
            programs.program_status_set(actor=self.admin, program=program, status=ProgramStatus.RUNNING,
                                        reason="Program mulai berjalan")
        program.refresh_from_db()
        return program

    # --- People ---------------------------------------------------------------------------------

    def people(self, *, low: int, high: int, max_decile: int, k: int, min_decile: int = 1,
               extra: Q | None = None, exclude_households: set[int] = frozenset()) -> list[Resident]:
        """``k`` active residents aged ``low``-``high`` in households of those deciles, one per household."""
        qs = Resident.objects.filter(
            extra or Q(), status=ResidentStatus.ACTIVE, household__status=HouseholdStatus.ACTIVE,
            household__welfare__decile__gte=min_decile, household__welfare__decile__lte=max_decile,
            birth_date__gt=_years_before(self.reference, high + 1), birth_date__lte=_years_before(self.reference, low),
        ).order_by("pk")
        pool: dict[int, int] = {}
        for pk, household_id in qs.values_list("pk", "household_id"):
            if household_id not in exclude_households:
                pool.setdefault(household_id, pk)
        chosen = sorted(self.rng.sample(sorted(pool.values()), min(k, len(pool))))
        found = Resident.objects.select_related("household").in_bulk(chosen)
        return [found[pk] for pk in chosen]

    # --- Workflow helpers -----------------------------------------------------------------------

    def apply(self, program: Program, residents: list[Resident], *, household_only: bool = False,
              channel: str = "staff") -> list[Enrollment]:
        actor = self.staff(program)
        return [
            enrollment.enrollment_apply(actor=actor, program=program, household=r.household,
                                        resident=None if household_only else r, channel=channel)
            for r in residents
        ]

    def verify_approve(self, program: Program, items: list[Enrollment], *, verify_share: float = 1.0,
                       note: str = "Diperiksa di lapangan oleh pendamping; data sesuai registri.") -> list[int]:
        """Verify a share of ``items`` and approve them in bulk; return the ids approved."""
        actor = self.staff(program)
        ids = [e.pk for e in items]
        chosen = ids[:round(len(ids) * verify_share)]
        if not chosen:
            return []
        bulk.enrollment_bulk_verify(actor=actor, program=program, note=note, ids=chosen)
        bulk.enrollment_bulk_approve(actor=actor, program=program, ids=chosen)
        return list(Enrollment.objects.filter(pk__in=chosen, state=EnrollmentState.APPROVED)
                    .order_by("pk").values_list("pk", flat=True))

    def move(self, program: Program, ids, to: str, reasons=("",), **extra) -> None:
        actor = self.staff(program)
        for i, pk in enumerate(ids):
            enrollment.enrollment_transition(actor=actor, enrollment=Enrollment(pk=pk), to=to,
                                             reason=reasons[i % len(reasons)], **extra)

    def states(self, program: Program, state: str) -> list[int]:
        return list(Enrollment.objects.filter(program=program, state=state).order_by("pk")
                    .values_list("pk", flat=True))

    # --- The programs ---------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        y = self.year
        blt_rule, blt_run = self.example_run(RULE_BLT)
        elderly_rule = EligibilityRule.objects.filter(name=RULE_ELDERLY, agency__isnull=True).first()
        education_rule = EligibilityRule.objects.filter(name=RULE_EDUCATION, agency__isnull=True).first()
        enterprise_rule = EligibilityRule.objects.filter(name=RULE_ENTERPRISE, agency__isnull=True).first()
        sewing_rule, sewing_run = self.agency_rule(
            self.agencies["ngo"], "Menjahit: perempuan kepala keluarga RW 02", SEWING_RULE,
            "Perempuan kepala keluarga di desil 1-4 yang tinggal di RW 02, dekat tempat pelatihan (Balai Warga RW 02).")

        blt_cost = 300_000 * 6
        blt_eligible = blt_run.eligible_count if blt_run is not None else 0
        # Enough for about 85% of the eligible families: the rest wait for the next allocation.
        blt_budget = blt_cost * max(1, blt_eligible * 85 // 100)
        apbn = self.source(name=f"APBN {y} - Bantuan Langsung Tunai", kind="apbn",
                           amount=max(3_000_000_000, _round_up(blt_budget * 12 // 10)),
                           note="Transfer pemerintah pusat untuk bantuan tunai keluarga rentan.")
        apbd = self.source(name=f"APBD DKI Jakarta {y} - Bantuan Sosial", kind="apbd", amount=2_500_000_000,
                           note="Belanja bantuan sosial Pemprov DKI Jakarta yang dialokasikan untuk Duri Kepa.")
        csr = self.source(name=f"CSR PT Sentosa Makmur Abadi {y}", kind="csr", agency=self.agencies["company"],
                          amount=400_000_000, note="Dana tanggung jawab sosial perusahaan untuk pemberdayaan warga.")
        donor = self.source(name=f"Hibah Pemberdayaan Perempuan {y}", kind="donor", agency=self.agencies["ngo"],
                            shared=False, amount=150_000_000, note="Hibah donor yang dikelola Yayasan Peduli.")
        community = self.source(name=f"Swadaya Warga dan Iuran Karang Taruna {y}", kind="community",
                                agency=self.agencies["youth"], shared=False, amount=30_000_000)

        self.policies_ensure()
        made: dict[str, Program] = {}
        made["blt"] = self.program(
            agency="dinsos", sources=[(apbn, blt_budget)], name="Bantuan Langsung Tunai Keluarga Rentan",
            kind="cash", rule=blt_rule, participant="household", benefit_kind="money",
            benefit_description="Rp 300.000 per bulan selama 6 bulan", benefit_amount=300_000, benefit_periods=6,
            target_groups=["poor", "children", "pregnant"], end_date=dt.date(y, 6, 30),
            description="Bantuan uang tunai bagi keluarga miskin dan rentan yang punya balita atau ibu hamil, "
                        "disalurkan setiap bulan melalui rekening bank.")
        made["elderly"] = self.program(
            agency="dinsos", sources=[(apbd, 900_000 * 4 * 30)], name="Kartu Lansia Jakarta (KLJ)", kind="cash",
            rule=elderly_rule, participant="resident", benefit_kind="money",
            benefit_description="Rp 300.000 per bulan, dibayarkan per triwulan (Rp 900.000)",
            benefit_amount=900_000, benefit_periods=4, target_groups=["elderly", "poor"], capacity=30,
            description="Bantuan bagi warga lanjut usia (60 tahun ke atas) dari keluarga kurang mampu.")
        made["kjp_sd"] = self.program(
            agency="education", sources=[(apbd, 250_000 * 12 * 25)], name="KJP Plus Jenjang SD", kind="education",
            rule=education_rule, participant="resident", benefit_kind="stipend",
            benefit_description="Rp 250.000 per bulan untuk kebutuhan sekolah", benefit_amount=250_000,
            benefit_periods=12, target_groups=["children", "poor"], capacity=25,
            description="Kartu Jakarta Pintar Plus untuk siswa SD dari keluarga kurang mampu. Besaran per bulan: "
                        "SD Rp 250.000, SMP Rp 300.000, SMA Rp 420.000, SMK Rp 450.000.")
        made["kjp_smp"] = self.program(
            agency="education", sources=[(apbd, 300_000 * 12 * 15)], name="KJP Plus Jenjang SMP", kind="education",
            rule=education_rule, participant="resident", benefit_kind="stipend",
            benefit_description="Rp 300.000 per bulan untuk kebutuhan sekolah", benefit_amount=300_000,
            benefit_periods=12, target_groups=["children", "poor"], capacity=15,
            description="Kartu Jakarta Pintar Plus untuk siswa SMP dari keluarga kurang mampu.")
        made["sewing"] = self.program(
            agency="ngo", sources=[(csr, 2_500_000 * 25), (donor, 2_500_000 * 10)],
            name="Pelatihan Menjahit Perempuan Kepala Keluarga",
            kind="training", rule=sewing_rule, participant="resident", benefit_kind="course",
            benefit_description="Kursus menjahit 3 bulan, mesin jahit pinjaman dan sertifikat",
            benefit_amount=2_500_000, benefit_periods=1, target_groups=["female_head", "poor"], capacity=35,
            start_date=dt.date(y, 2, 1), end_date=dt.date(y, 7, 31),
            description="Kursus menjahit di Balai Warga RW 02 bagi ibu kepala keluarga, didanai CSR PT Sentosa "
                        "Makmur Abadi dan hibah donor. Lulusan dapat dirujuk ke program modal usaha.")
        made["umkm"] = self.program(
            agency="company", sources=[(csr, 5_000_000 * 20)], status=ProgramStatus.OPEN,
            name="Modal Usaha UMKM Pemula", kind="enterprise", rule=enterprise_rule, participant="household",
            benefit_kind="capital", benefit_description="Modal usaha Rp 5.000.000 dan pendampingan 6 bulan",
            benefit_amount=5_000_000, benefit_periods=1, target_groups=["micro_business", "female_head"],
            capacity=20, start_date=dt.date(y, 6, 1),
            description="Hibah modal usaha dan pendampingan pembukuan bagi usaha rumahan, terutama lulusan "
                        "pelatihan keterampilan.")
        made["posyandu"] = self.program(
            agency="puskesmas", sources=[(apbd, 150_000 * 6 * 40)], name="Makanan Tambahan Ibu Hamil dan Balita",
            kind="health", participant="resident", benefit_kind="goods",
            benefit_description="Paket makanan tambahan bergizi Rp 150.000 per bulan selama 6 bulan",
            benefit_amount=150_000, benefit_periods=6, target_groups=["pregnant", "children"], capacity=40,
            description="Pemberian makanan tambahan di posyandu untuk ibu hamil dan balita dari keluarga rentan, "
                        "untuk pencegahan stunting.")
        made["youth"] = self.program(
            agency="youth", sources=[(community, 750_000 * 25)], status=ProgramStatus.OPEN,
            name="Pelatihan Digital dan Kewirausahaan Pemuda", kind="training", participant="resident",
            benefit_kind="course", benefit_description="Kelas pemasaran digital dan desain grafis 8 pertemuan",
            benefit_amount=750_000, benefit_periods=1, target_groups=["youth"], capacity=25,
            start_date=dt.date(y, 3, 1), end_date=dt.date(y, 8, 31),
            description="Program Karang Taruna untuk pemuda usia 16-30 tahun: pemasaran digital, desain grafis, "
                        "dan praktik berjualan daring.")

        self.cash(made["blt"], blt_run)
        self.elderly(made["elderly"])
        self.students(made["kjp_sd"], low=7, high=12, k=25, starts=10)
        self.students(made["kjp_smp"], low=13, high=15, k=15, starts=5, rejects=1)
        self.sewing(made["sewing"], sewing_run)
        self.nutrition(made["posyandu"])
        self.youth(made["youth"], made["sewing"])
        self.referrals(made["blt"], made["sewing"], made["umkm"])
        return made

    def cash(self, program: Program, run: RuleRun | None) -> None:
        """The big one: a rule run enrolled in bulk, most approved within the budget, a few already paid."""
        if run is None:
            return
        actor = self.staff(program)
        bulk.enrollment_bulk_apply(actor=actor, program=program, run=run)
        applied = self.states(program, EnrollmentState.APPLIED)
        self.rng.shuffle(applied)
        waiting = sorted(applied[:max(1, len(applied) // 12)])  # still to be visited
        checked = sorted(applied[len(waiting):])
        bulk.enrollment_bulk_verify(actor=actor, program=program, ids=checked,
                                    note="Dicocokkan dengan registri dan dikunjungi ketua RT.")
        bulk.enrollment_bulk_approve(actor=actor, program=program)
        self.move(program, waiting[:8], EnrollmentState.REJECTED, REJECT_REASONS)
        approved = self.states(program, EnrollmentState.APPROVED)
        started = approved[:15]
        self.move(program, started, EnrollmentState.ACTIVE)
        for pk in started[:6]:
            item = Enrollment.objects.select_related("program").get(pk=pk)
            funding.enrollment_disburse(actor=actor, enrollment=item, amount=2 * program.benefit_amount,
                                        note="Penyaluran bulan Januari dan Februari")
        self.move(program, started[6:8], EnrollmentState.SUSPENDED,
                  ("Rekening bank tidak aktif; menunggu pembaruan data rekening.",))
        self.move(program, approved[15:17], EnrollmentState.EXITED,
                  ("Keluarga pindah domisili ke luar DKI Jakarta sebelum penyaluran pertama.",))

    def elderly(self, program: Program) -> None:
        people = self.people(low=60, high=110, max_decile=3, k=30)
        items = self.apply(program, people)
        approved = self.verify_approve(program, items[:27])  # a household already in the BLT is refused
        self.move(program, [e.pk for e in items[27:28]], EnrollmentState.REJECTED,
                  ("Sudah menerima bantuan lansia dari program pemerintah pusat (ATENSI).",))
        self.move(program, approved[:10], EnrollmentState.ACTIVE)

    def students(self, program: Program, *, low: int, high: int, k: int, starts: int, rejects: int = 0) -> None:
        people = self.people(low=low, high=high, max_decile=3, k=k, extra=Q(school_enrolment="enrolled"))
        items = self.apply(program, people)
        approved = self.verify_approve(program, items[:len(items) - rejects - 2])
        self.move(program, [e.pk for e in items[len(items) - rejects:]], EnrollmentState.REJECTED,
                  ("Siswa tidak ditemukan di data pokok pendidikan (Dapodik) sekolah yang disebutkan.",))
        self.move(program, approved[:starts], EnrollmentState.ACTIVE)

    def sewing(self, program: Program, run: RuleRun) -> None:
        actor = self.staff(program)
        bulk.enrollment_bulk_apply(actor=actor, program=program, run=run)
        applied = self.states(program, EnrollmentState.APPLIED)
        visited = applied[:60]
        bulk.enrollment_bulk_verify(actor=actor, program=program, ids=visited,
                                    note="Wawancara minat dan jadwal di Balai Warga RW 02.")
        # The poorest 30 first; five places stay free for families referred from cash aid.
        bulk.enrollment_bulk_approve(actor=actor, program=program, ids=visited[:30])
        self.move(program, visited[30:33], EnrollmentState.REJECTED,
                  ("Tidak dapat mengikuti jadwal kelas karena bekerja pada jam pelatihan.",))
        approved = self.states(program, EnrollmentState.APPROVED)
        self.move(program, approved[:20], EnrollmentState.ACTIVE)
        self.move(program, approved[:8], EnrollmentState.GRADUATED, ("Lulus ujian praktik menjahit.",))
        self.move(program, approved[8:10], EnrollmentState.EXITED,
                  ("Diterima bekerja di konveksi sebelum pelatihan selesai.",))

    def nutrition(self, program: Program) -> None:
        mothers = self.people(low=16, high=45, max_decile=5, k=15, extra=Q(pregnant=True))
        toddlers = self.people(low=0, high=4, max_decile=3, k=15,
                               exclude_households={m.household_id for m in mothers})
        items = self.apply(program, mothers + toddlers)
        approved = self.verify_approve(program, items[:28], note="Ditimbang dan diukur di posyandu.")
        self.move(program, approved[:12], EnrollmentState.ACTIVE)
        self.move(program, approved[:2], EnrollmentState.GRADUATED,
                  ("Sudah melahirkan; bayi dipantau lewat penimbangan balita.",))

    def youth(self, program: Program, sewing: Program) -> None:
        # Two young members of families already in the sewing course: the training+training warning.
        in_sewing = Enrollment.objects.filter(program=sewing, state__in=(EnrollmentState.APPROVED,
                                                                         EnrollmentState.ACTIVE))
        sewing_households = set(in_sewing.values_list("household_id", flat=True))
        young = Q(household_id__in=sewing_households) & ~Q(relation=Relation.HEAD)
        warned = self.people(low=16, high=30, max_decile=10, k=2, extra=young)
        others = self.people(low=16, high=30, max_decile=5, k=18,
                             exclude_households={p.household_id for p in warned} | sewing_households)
        items = self.apply(program, warned + others)
        self.verify_approve(program, items[:16], note="Tes minat dan wawancara pengurus Karang Taruna.")
        still = [e.pk for e in items[:2] if Enrollment.objects.filter(pk=e.pk, state=EnrollmentState.VERIFIED).exists()]
        # The officer checked the schedules and approves one of them despite the warning.
        self.move(program, still[:1], EnrollmentState.APPROVED,
                  ("Jadwal kelas malam tidak bentrok dengan kursus menjahit ibunya.",), acknowledge_warnings=True)

    def advance(self, program: Program, pk: int, note: str) -> None:
        """Verify, approve and start one enrollment."""
        self.move(program, [pk], EnrollmentState.VERIFIED, (note,))
        self.move(program, [pk], EnrollmentState.APPROVED)
        self.move(program, [pk], EnrollmentState.ACTIVE)

    def referrals(self, cash: Program, sewing: Program, umkm: Program) -> None:
        """The path to self-reliance: cash aid -> sewing course -> business capital."""
        receiving = Enrollment.objects.filter(program=cash, state__in=(EnrollmentState.APPROVED,
                                                                       EnrollmentState.ACTIVE))
        heads = list(
            Resident.objects.filter(household_id__in=receiving.values("household_id"), relation=Relation.HEAD,
                                    sex="P", status=ResidentStatus.ACTIVE)
            .exclude(household_id__in=Enrollment.objects.filter(program=sewing).values("household_id"))
            .select_related("household").order_by("household_id")[:6]
        )
        cash_staff, sewing_staff = self.staff(cash), self.staff(sewing)
        sent = [
            referrals.referral_send(actor=cash_staff, household=head.household, resident=head, from_program=cash,
                                    to_program=sewing,
                                    note="Ibu kepala keluarga berminat menjahit; penerima BLT aktif.")
            for head in heads
        ]
        for i, referral in enumerate(sent[:3]):
            item = referrals.referral_enroll(actor=sewing_staff, referral=referral, note="Masuk angkatan ini.")
            if i < 2:
                self.advance(sewing, item.pk, "Wawancara minat di Balai Warga RW 02.")
        for referral in sent[3:4]:
            referrals.referral_accept(actor=sewing_staff, referral=referral,
                                      response="Dijadwalkan angkatan berikutnya.")
        for referral in sent[4:5]:
            referrals.referral_decline(actor=sewing_staff, referral=referral,
                                       response="Kelas angkatan ini penuh; silakan daftar ulang bulan Agustus.")

        graduates = (Enrollment.objects.filter(program=sewing, state=EnrollmentState.GRADUATED)
                     .select_related("household").order_by("pk"))
        umkm_staff = self.staff(umkm)
        onward = [
            referrals.referral_send(actor=sewing_staff, household=g.household, from_program=sewing, to_program=umkm,
                                    note="Lulus pelatihan menjahit; ingin membuka usaha jahit rumahan.")
            for g in graduates[:7]
        ]
        for i, referral in enumerate(onward[:3]):
            item = referrals.referral_enroll(actor=umkm_staff, referral=referral, note="Rencana usaha sudah ada.")
            if i < 2:
                self.advance(umkm, item.pk, "Survei tempat usaha di rumah peserta.")
        for referral in onward[3:5]:
            referrals.referral_accept(actor=umkm_staff, referral=referral, response="Menunggu pencairan tahap 2.")
        for referral in onward[6:7]:
            referrals.referral_decline(actor=umkm_staff, referral=referral,
                                       response="Belum punya rencana usaha; disarankan ikut kelas pembukuan dulu.")
        # A few families apply by themselves: heads running a small business.
        owners = self.people(low=20, high=59, max_decile=5, min_decile=2, k=6,
                             extra=Q(relation=Relation.HEAD, employment_status="self_employed"),
                             exclude_households=set(umkm.enrollments.values_list("household_id", flat=True)))
        items = self.apply(umkm, owners, household_only=True)
        self.verify_approve(umkm, items[:3], note="Survei tempat usaha: warung berjalan lebih dari 1 tahun.")
        self.move(umkm, [e.pk for e in items[5:6]], EnrollmentState.REJECTED,
                  ("Usaha belum berjalan minimal 6 bulan.",))


def demo_programs_create(*, actor, seed: int = 2026) -> dict[str, Any]:
    """Agencies, funding, programs, enrolments and referrals for the demo, once (nothing when programs exist)."""
    if Program.objects.exists():
        return {}
    started = time.monotonic()
    demo = _Demo(actor=actor, seed=seed)
    # One transaction: a failure leaves no half-built demo, and the next run tries again.
    with transaction.atomic():
        demo.agencies_ensure()
        made = demo.build()
    return {"programs": len(made), "enrollments": Enrollment.objects.count(), "referrals": Referral.objects.count(),
            "seconds": time.monotonic() - started}

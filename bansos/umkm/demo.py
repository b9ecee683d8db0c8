"""Demo micro-businesses for the enterprise program "Modal Usaha UMKM Pemula", through the real services.

Families enrolled in the program get a business each: grants and loans disbursed from the program's
budget, repayments (most on time, one in arrears for months, one a little late, one paid off), 6-12
months of revenue (growing, stable, declining), equipment, mentoring, and one business that closed.
Dates are relative to today so the arrears stay meaningful whenever the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import transaction
from django.utils import timezone

from bansos.programs.models import OPEN_STATES, Enrollment, EnrollmentState, Program, ProgramKind
from bansos.registry.models import ResidentStatus
from bansos.umkm.arithmetic import add_months
from bansos.umkm.models import Business, CapitalSupport
from bansos.umkm.services import businesses as biz
from bansos.umkm.services import capital as cap
from bansos.umkm.services import records as rec

PROGRAM = "Modal Usaha UMKM Pemula"

# (name, sector, products, growth per month, capital plan); plans: see _capital.
WITH_CAPITAL = [
    ("Keripik Singkong Balado", "food", "Keripik singkong balado dan keripik pisang kemasan 250 g", 0.06,
     ("loan", 3_000_000, 1200, 12, 10, "on_time")),
    ("Jahit Rapi Rumahan", "fashion", "Jahit seragam sekolah, permak dan gorden", 0.0,
     ("grant", 5_000_000, 0, 0, 8, None)),
    ("Laundry Kiloan Bersih Wangi", "services", "Cuci setrika kiloan, antar jemput RW 01-03", 0.05,
     ("loan", 4_000_000, 1000, 10, 12, "paid_off")),
    ("Warung Sembako Berkah", "retail", "Beras, minyak goreng, gas 3 kg, kebutuhan harian", -0.07,
     ("loan", 5_000_000, 1200, 12, 9, "stopped")),
    ("Toko Online Hijab Duri", "digital", "Hijab dan gamis dijual lewat marketplace dan WhatsApp", 0.01,
     ("loan", 2_000_000, 600, 6, 4, "late")),
]
WITHOUT_CAPITAL = [
    ("Katering Nasi Kotak Bu Ani", "food", "Nasi kotak untuk arisan dan pengajian", 0.04, False),
    ("Kue Basah Tradisional", "food", "Kue lapis, lemper, risoles titipan warung", -0.12, True),
    ("Salon Kecantikan Cantik Ayu", "beauty", "Potong rambut, creambath, rias pengantin", 0.0, False),
]
MENTORS = ["Ibu Ratna Sari (pendamping UMKM)", "Bapak Hendra Gunawan (konsultan usaha)"]
TOPICS = ["Pembukuan sederhana: memisahkan uang usaha dan rumah tangga", "Menghitung harga pokok produksi",
          "Foto produk dan berjualan di marketplace", "Mengurus NIB lewat OSS", "Mengatur stok dan pembelian"]


class _UmkmDemo:
    def __init__(self, *, actor, seed: int) -> None:
        self.actor = actor
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.made = {"businesses": 0, "grants": 0, "loans": 0, "repayments": 0, "revenue_logs": 0}

    def owner(self, household):
        members = [r for r in household.residents.all() if r.status == ResidentStatus.ACTIVE]
        women = [r for r in members if r.sex == "P" and r.relation in ("head", "spouse")]
        return (women or [r for r in members if r.relation == "head"] or members)[0]

    def business(self, program, enrollment, name, sector, products, started):
        owner = self.owner(enrollment.household)
        business = biz.business_create(actor=self.actor, owner=owner, program=program, data={
            "name": name, "sector": sector, "products": products, "started_on": started,
            "rt": enrollment.household.rt, "address": enrollment.household.address,
            "nib": f"91200{self.rng.randrange(10**7, 10**8)}" if self.rng.random() < 0.5 else ""})
        self.made["businesses"] += 1
        return business

    def revenue(self, business, growth: float, months: int, *, until: dt.date | None = None) -> None:
        last = (until or self.today).replace(day=1)
        if until is None:
            last = add_months(last, -1)
        base = self.rng.randrange(3_000_000, 9_000_000, 50_000)
        for i in range(months):
            month = add_months(last, -(months - 1 - i))
            if month < business.started_on.replace(day=1):
                continue
            noise = 1 + self.rng.uniform(-0.03, 0.03)
            revenue = int(base * (1 + growth) ** i * noise) // 1000 * 1000
            profit = revenue * self.rng.randrange(15, 30) // 100
            rec.revenue_log_set(actor=self.actor, business=business, month=month, revenue=revenue, profit=profit)
            self.made["revenue_logs"] += 1

    def mentoring(self, business, count: int) -> None:
        for i in range(count):
            rec.mentoring_record(actor=self.actor, business=business, data={
                "date": self.today - dt.timedelta(days=30 * (count - i) + self.rng.randrange(0, 10)),
                "topic": TOPICS[i % len(TOPICS)], "mentor": MENTORS[i % len(MENTORS)],
                "notes": "Pemilik hadir; pekerjaan rumah: catat kas harian selama sebulan."})

    def capital(self, business, plan) -> None:
        kind, amount, bp, term, months_ago, pattern = plan
        # The slightly late loan is shifted so that its one missed instalment fell due about 20 days ago.
        disbursed = add_months(self.today, -months_ago) + dt.timedelta(days=10 if pattern == "late" else 0)
        approved = disbursed - dt.timedelta(days=7)
        data = {"kind": kind, "amount": amount, "approved_on": approved,
                "note": "Keputusan komite modal usaha bulan ini."}
        if kind == "loan":
            data.update(interest_bp_year=bp, term_months=term, first_due_date=add_months(disbursed, 1))
        capital = cap.capital_record(actor=self.actor, business=business, data=data)
        capital = cap.capital_disburse(actor=self.actor, capital=capital, disbursed_on=disbursed,
                                       note="Transfer ke rekening pemilik usaha.")
        self.made["grants" if kind == "grant" else "loans"] += 1
        if kind != "loan":
            return
        due = list(capital.installments.order_by("number"))
        paid_rows = {
            "on_time": [r for r in due if r.due_date <= self.today],
            "paid_off": due,
            "stopped": [r for r in due if r.due_date <= self.today][:3],
            "late": [r for r in due if r.due_date < self.today][:-1],
        }[pattern]
        for row in paid_rows:
            when = min(self.today, row.due_date - dt.timedelta(days=self.rng.randrange(0, 4)))
            cap.repayment_record(actor=self.actor, loan=capital, paid_on=max(when, disbursed), amount=row.amount_due)
            self.made["repayments"] += 1
        left = capital.total_due - sum(r.amount_due for r in paid_rows)
        if pattern == "on_time" and paid_rows and left > 0:
            # A payment typed twice, then reversed: the history shows how a mistake is corrected.
            wrong = cap.repayment_record(actor=self.actor, loan=capital, paid_on=paid_rows[-1].due_date,
                                         amount=min(paid_rows[-1].amount_due, left))
            cap.repayment_reverse(actor=self.actor, repayment=wrong, reason="Tercatat dua kali (salah input).")

    def build(self, program: Program) -> None:
        enrollments = list(Enrollment.objects.filter(program=program, resident__isnull=True, state__in=OPEN_STATES)
                           .select_related("household__rt").prefetch_related("household__residents")
                           .order_by("pk"))
        ready = [e for e in enrollments if e.state in cap.CAPITAL_STATES]
        waiting = [e for e in enrollments if e.state not in cap.CAPITAL_STATES]
        for enrollment, (name, sector, products, growth, plan) in zip(ready, WITH_CAPITAL):
            started = add_months(self.today, -self.rng.randrange(14, 40))
            business = self.business(program, enrollment, name, sector, products, started)
            self.revenue(business, growth, self.rng.randrange(6, 13))
            self.capital(business, plan)
            if sector == "fashion":
                rec.equipment_record(actor=self.actor, business=business, data={
                    "item": "Mesin jahit portable Butterfly", "value": 1_850_000,
                    "given_on": add_months(self.today, -7), "note": "Dari CSR PT Sentosa Makmur Abadi."})
            self.mentoring(business, self.rng.randrange(2, 6))
        for enrollment, (name, sector, products, growth, closes) in zip(waiting, WITHOUT_CAPITAL):
            started = add_months(self.today, -self.rng.randrange(12, 30))
            business = self.business(program, enrollment, name, sector, products, started)
            if closes:
                closed_on = add_months(self.today, -2)
                self.revenue(business, growth, 8, until=closed_on)
                self.mentoring(business, 1)
                biz.business_close(actor=self.actor, business=business, closed_on=closed_on,
                                   reason="Pemilik bekerja di pabrik; usaha tidak dilanjutkan.")
            else:
                self.revenue(business, growth, self.rng.randrange(6, 10))


def demo_umkm_create(*, actor, seed: int = 2026) -> dict | None:
    """Businesses, capital, repayments, revenue and mentoring for the demo's enterprise program, once."""
    if Business.objects.exists():
        return None
    program = Program.objects.filter(name=PROGRAM, kind=ProgramKind.ENTERPRISE).first()
    if program is None or not program.enrollments.filter(state__in=OPEN_STATES).exists():
        return None
    started = time.monotonic()
    demo = _UmkmDemo(actor=actor, seed=seed)
    # One transaction: a failure leaves no half-built demo, and the next run tries again.
    with transaction.atomic():
        demo.build(program)
    return {**demo.made, "capital": CapitalSupport.objects.count(), "seconds": time.monotonic() - started,
            "approved_or_active": Enrollment.objects.filter(program=program, state__in=(
                EnrollmentState.APPROVED, EnrollmentState.ACTIVE)).count()}

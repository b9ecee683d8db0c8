"""Demo data of the linkage app, made through its services.

Twelve residents are registered a second time the way it happens in a kelurahan office (a name
written another way, a NIK with one digit mistyped, day and month of birth swapped, the person
entered again in a relative's household), a deduplication runs at once, one pair is confirmed and
merged, the rest wait for review; and one LSM's list of about 200 people is linked to the registry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PLANTED = 12
LIST_ROWS = 200

_GIVEN_NEW = ("Rahmat", "Yuliani", "Sulastri", "Bambang", "Wulandari", "Hendra", "Fitriani", "Darmawan",
              "Suparman", "Kurniasih", "Teguh", "Nurhayati", "Slamet", "Wahyuni", "Iwan", "Lestari")
_FAMILY_NEW = ("Kusuma", "Hidayat", "Nugroho", "Saputra", "Permana", "Siregar", "Pohan", "Wijaya", "Gunawan")


def _variant(name: str, rnd: random.Random) -> str:
    """The name as another clerk would write it."""
    words = name.split()
    first = words[0].upper()
    if first in ("MUHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMAD"):
        return " ".join([rnd.choice(["Moh.", "Muh.", "Mochammad"]), *words[1:]])
    if first == "SITI":
        return " ".join(["St.", *words[1:]])
    choice = rnd.randrange(4)
    if choice == 0:
        return name.upper()
    if choice == 1 and "u" in name[1:]:
        return name[0] + name[1:].replace("u", "oe", 1)
    if choice == 2:
        return ("Hj. " if rnd.random() < 0.5 else "H. ") + name
    return "  ".join(words)  # double spaces, as pasted


def _nik_with(nik: str, *, birth_date: dt.date, sex: str) -> str:
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{nik[:6]}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{nik[12:]}"


def _plant(*, actor, rnd: random.Random) -> list[tuple[int, int]]:
    """Register PLANTED residents again with realistic errors; (original, duplicate) ids."""
    from bansos.core.errors import DomainError
    from bansos.registry.models import Household, Resident
    from bansos.registry.services import resident_add

    people = list(Resident.objects.filter(status="active", household__status="active")
                  .exclude(nik="").select_related("household").order_by("pk")[:4000])
    rnd.shuffle(people)
    households = list(Household.objects.filter(status="active").order_by("pk")[:500])
    planted: list[tuple[int, int]] = []
    for person in people:
        if len(planted) >= PLANTED:
            break
        kind = len(planted) % 4
        birth = person.birth_date
        nik = person.nik
        if kind == 0:  # a mistyped serial digit
            nik = nik[:15] + str((int(nik[15]) + 1 + rnd.randrange(8)) % 10)
        elif kind == 1:  # day and month swapped (the NIK written from the wrong date)
            if birth.day > 12 or birth.day == birth.month:
                continue
            birth = dt.date(birth.year, birth.day, birth.month)
            nik = _nik_with(nik, birth_date=birth, sex=person.sex)
        elif kind == 2:  # two digits transposed
            i = rnd.randrange(12, 15)
            if nik[i] == nik[i + 1]:
                continue
            nik = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
        else:  # the serial of another registration: only the name, date and household tell
            nik = nik[:12] + f"{(int(nik[12:]) + 7) % 10000:04d}"
        home = person.household if kind == 3 else rnd.choice(households)
        try:
            dup = resident_add(actor=actor, household=home, data={
                "nik": nik, "full_name": _variant(person.full_name, rnd), "sex": person.sex,
                "birth_place": person.birth_place or "Jakarta", "birth_date": birth, "relation": "other",
                "marital_status": person.marital_status or "single",
            }, reason="pendataan ulang (demo data ganda)")
        except DomainError:
            continue  # the variant collides with someone's NIK or the household's rules: try another person
        planted.append((person.pk, dup.pk))
    return planted


def _list_csv(rnd: random.Random) -> bytes:
    """An LSM's beneficiary list: mostly registry residents written loosely, some people not registered."""
    from bansos.registry.models import Resident

    residents = list(Resident.objects.filter(status="active").select_related("household__rt__rw")
                     .order_by("pk")[:3000])
    chosen = rnd.sample(residents, min(len(residents), LIST_ROWS * 3 // 4))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["No", "Nama Penerima", "NIK", "Tgl Lahir", "JK", "Alamat", "RT/RW"])
    number = 0
    for r in chosen:
        number += 1
        nik = r.nik if rnd.random() > 0.25 else ""  # a quarter without NIK
        if nik and rnd.random() < 0.1:
            nik = nik[:10] + nik[11] + nik[10] + nik[12:]
        birth = r.birth_date
        if rnd.random() < 0.1 and birth.day <= 12:
            birth = dt.date(birth.year, birth.day, birth.month)
        writer.writerow([number, _variant(r.full_name, rnd) if rnd.random() < 0.4 else r.full_name, nik,
                         birth.strftime("%d-%m-%Y"), "L" if r.sex == "L" else "P", r.household.address,
                         f"{r.household.rt.number:03d}/{r.household.rt.rw.number:03d}"])
    while number < LIST_ROWS:
        number += 1
        birth = dt.date(rnd.randint(1950, 2005), rnd.randint(1, 12), rnd.randint(1, 28))
        writer.writerow([number, f"{rnd.choice(_GIVEN_NEW)} {rnd.choice(_FAMILY_NEW)}", "",
                         birth.strftime("%d-%m-%Y"), rnd.choice("LP"), "Jl. Kemanggisan Raya", "001/011"])
    return out.getvalue().encode("utf-8")


def demo_linkage_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    import time

    from bansos.accounts.models import Agency
    from bansos.linkage.models import AgencyList, CandidatePair, LinkageRun, PairStatus
    from bansos.linkage.services.lists import agency_list_execute, agency_list_map, agency_list_upload
    from bansos.linkage.services.pairs import pair_confirm
    from bansos.linkage.services.runs import linkage_run_execute, linkage_run_start

    if LinkageRun.objects.exists() or AgencyList.objects.exists():
        return None
    started = time.perf_counter()
    rnd = random.Random(seed * 7 + 10)
    planted = _plant(actor=actor, rnd=rnd)
    run = linkage_run_start(actor=actor)
    run = linkage_run_execute(run.pk)  # at once: the demo shows the queue (a no-op if tests ran it already)
    planted_ids = {frozenset(p) for p in planted}
    pending = list(CandidatePair.objects.filter(run=run, status=PairStatus.PENDING).order_by("-probability", "pk"))
    merged = 0
    for pair in pending:
        if frozenset((pair.left_id, pair.right_id)) in planted_ids:
            original = next(a for a, b in planted if {a, b} == {pair.left_id, pair.right_id})
            pair_confirm(actor=actor, pair=pair, keep_id=original, reason="Pendataan ganda: orang yang sama (demo)")
            merged = 1
            break
    found = sum(1 for p in pending if frozenset((p.left_id, p.right_id)) in planted_ids)
    agency = (Agency.objects.filter(kind="ngo").order_by("pk").first() or Agency.objects.order_by("pk").first())
    linked = possible = new = 0
    if agency is not None:
        upload = SimpleUploadedFile("penerima-sembako-lsm.csv", _list_csv(rnd), content_type="text/csv")
        agency_list = agency_list_upload(actor=actor, upload=upload, agency=agency,
                                         title=f"Penerima paket sembako {agency.name}")
        agency_list_map(actor=actor, agency_list=agency_list, mapping=agency_list.mapping)
        agency_list = agency_list_execute(agency_list.pk)
        linked, possible, new = agency_list.linked, agency_list.possible, agency_list.new
    seconds = time.perf_counter() - started
    return {
        "line": (f"{len(planted)} data warga ganda ditanam, {run.automatic + run.review} pasangan ditemukan "
                 f"({found} dari yang ditanam), {merged} digabung; daftar lembaga {LIST_ROWS} baris: "
                 f"{linked} cocok, {possible} ditinjau, {new} baru."),
        "planted": len(planted), "pairs": run.automatic + run.review, "found": found, "merged": merged,
        "list_linked": linked, "list_possible": possible, "list_new": new, "seconds": round(seconds, 1),
    }

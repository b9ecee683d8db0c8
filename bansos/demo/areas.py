"""The areas of Kelurahan Duri Kepa for the demo: its RWs, RTs sized to the population, posyandu.

The real RT list is configuration an admin keeps; the demo sizes it from the number of
households so that each RT holds a plausible 80-160 families (the Jakarta rule of thumb).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

KELURAHAN = {
    "code": "31.73.05.1005",
    "name": "Duri Kepa",
    "kecamatan": "Kebon Jeruk",
    "city": "Jakarta Barat",
    "province": "DKI Jakarta",
}
RW_COUNT = 17
# Families per RT the layout aims for: the middle of the 80-160 rule of thumb.
FAMILIES_PER_RT = 120
# RWs with at least this many RTs get a second posyandu.
TWO_POSYANDU_FROM_RTS = 6

POSYANDU_NAMES = (
    "Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Teratai", "Cempaka", "Kamboja",
    "Seruni", "Bougenville", "Nusa Indah", "Aster", "Lili", "Tulip", "Sakura", "Asoka", "Kemuning",
    "Melur", "Bakung", "Soka", "Kembang Sepatu", "Gardenia", "Lavender", "Edelweis", "Matahari", "Seroja",
    "Cendana", "Delima", "Srikaya", "Belimbing", "Rambutan", "Nangka", "Sirsak",
)
assert len(POSYANDU_NAMES) >= 2 * RW_COUNT

# Streets and alleys of the kelurahan (a plausible list for the demo, not a survey), by RW.
STREETS = (
    "Jl. Duri Raya", "Jl. Duri Kepa Raya", "Jl. Kepa Duri", "Jl. Kepa Duri II", "Jl. Kepa Duri III",
    "Jl. Kelapa Dua Raya", "Jl. Kelapa Dua Wetan", "Jl. Mangga", "Jl. Mangga II", "Jl. Mangga Besar",
    "Jl. Haji Kelik", "Jl. Haji Saidi", "Jl. Haji Misar", "Jl. Taman Kebon Jeruk", "Jl. Arjuna Utara",
    "Jl. Duri Bangunan", "Jl. Duri Mas", "Jl. Kavling DKI", "Jl. Anggrek Duri", "Jl. Pos Duri",
    "Gg. Masjid", "Gg. Mushola", "Gg. Haji Ali", "Gg. Kelapa", "Gg. Langgar", "Gg. Sawo", "Gg. Salak",
    "Gg. Rambutan", "Gg. Delima", "Gg. Kramat", "Gg. Swadaya", "Gg. Damai", "Gg. Rukun", "Gg. Sepakat",
    "Gg. Karya", "Gg. Bakti", "Gg. Haji Naim", "Gg. Wakaf", "Gg. Pemuda", "Gg. Sekolah",
)


def streets_for_rw(rw: int) -> tuple[str, ...]:
    """The three or four streets an RW's addresses are spread over (fixed, so seeds repeat)."""
    count = 3 + rw % 2
    start = ((rw - 1) * 7) % len(STREETS)
    return tuple(STREETS[(start + i * 3) % len(STREETS)] for i in range(count))


def plan_layout(households: int) -> dict[int, int]:
    """RT count per RW number for a kelurahan of ``households`` families.

    Always the 17 RWs with at least one RT each (so a small demo still has a few RTs to scope
    users to); beyond that, enough RTs that each holds about 120 families.
    """
    total_rts = max(RW_COUNT, round(max(households, 0) / FAMILIES_PER_RT))
    base, extra = divmod(total_rts, RW_COUNT)
    return {rw: base + (1 if rw <= extra else 0) for rw in range(1, RW_COUNT + 1)}


def layout_areas(households: int) -> list[tuple[int, int]]:
    """(RW, RT) numbers of ``plan_layout`` in order."""
    return [(rw, rt) for rw, count in plan_layout(households).items() for rt in range(1, count + 1)]


def posyandu_split(rt_numbers: list[int]) -> list[list[int]]:
    """RT numbers served by each posyandu of one RW: one posyandu, or two for larger RWs."""
    if len(rt_numbers) < TWO_POSYANDU_FROM_RTS:
        return [rt_numbers]
    half = (len(rt_numbers) + 1) // 2
    return [rt_numbers[:half], rt_numbers[half:]]


@dataclass(frozen=True)
class AreasSummary:
    rws: int
    rts: int
    posyandus: int
    created_rts: int


@transaction.atomic
def duri_kepa_create(households: int) -> AreasSummary:
    """Create Kelurahan Duri Kepa, its RWs, RTs and posyandu for ``households`` families.

    Idempotent: what exists is kept (never renamed or removed); only missing rows are added, so
    re-running with a larger size adds RTs, and a smaller size changes nothing.
    """
    from bansos.core.models import RT, RW, Kelurahan, Posyandu

    Kelurahan.objects.get_or_create(code=KELURAHAN["code"], defaults=KELURAHAN)
    created_rts = 0
    for rw_number, rt_count in plan_layout(households).items():
        rw, _ = RW.objects.get_or_create(number=rw_number)
        existing = set(RT.objects.filter(rw=rw).values_list("number", flat=True))
        missing = [RT(rw=rw, number=n) for n in range(1, rt_count + 1) if n not in existing]
        RT.objects.bulk_create(missing)
        created_rts += len(missing)
        rts = list(RT.objects.filter(rw=rw).order_by("number"))
        by_number = {rt.number: rt for rt in rts}
        groups = posyandu_split(sorted(by_number))
        already_served = set(
            Posyandu.rts.through.objects.filter(rt__rw=rw).values_list("rt_id", flat=True)
        )
        for index, group in enumerate(groups):
            name = f"Posyandu {POSYANDU_NAMES[(rw_number - 1) * 2 + index]}"
            posyandu, created = Posyandu.objects.get_or_create(name=name, defaults={"rw": rw})
            if posyandu.rw_id != rw.pk:
                continue  # an admin reused the name elsewhere; leave their data alone
            new_rts = [by_number[n] for n in group if by_number[n].pk not in already_served]
            if new_rts:
                posyandu.rts.add(*new_rts)
    return AreasSummary(
        rws=RW.objects.count(), rts=RT.objects.count(), posyandus=Posyandu.objects.count(),
        created_rts=created_rts,
    )

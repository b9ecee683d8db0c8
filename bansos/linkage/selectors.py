"""Reads of the linkage app: runs, the review queue, merge history, agency lists and their report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.linkage import engine
from bansos.linkage.models import AgencyList, CandidatePair, LinkageRun, PairStatus, RowStatus
from bansos.registry.models import Resident, ResidentMerge

# The evidence of a comparison level, in words a reviewer reads.
EVIDENCE_WORDS = {
    "nik": {"exact": _("NIK sama persis"), "typo": _("NIK beda satu angka atau dua angka tertukar (salah ketik)"),
            "one_digit": _("NIK beda satu angka di kode wilayah atau nomor urut"),
            "rest_one_digit": _("NIK beda satu angka (salah ketik)"),
            "transposed": _("NIK dua angka bertukar tempat"),
            "same_parts": _("Kode wilayah dan nomor urut NIK sama"),
            "serial": _("Hanya nomor urut NIK yang sama"),
            "else": _("NIK berbeda"), "null": _("NIK tidak ada")},
    "name": {"exact": _("Nama sama (setelah dibakukan)"), "jw95": _("Nama hampir sama"),
             "jw88": _("Nama mirip"), "part": _("Sebagian nama sama"), "else": _("Nama berbeda"),
             "null": _("Nama tidak ada")},
    "birth_date": {"exact": _("Tanggal lahir sama persis"), "swapped": _("Tanggal dan bulan lahir tertukar"),
                   "one_digit": _("Tanggal lahir beda satu angka (salah ketik)"),
                   "one_year": _("Tanggal lahir selisih kurang dari setahun"), "else": _("Tanggal lahir berbeda"),
                   "null": _("Tanggal lahir tidak ada")},
    "sex": {"exact": _("Jenis kelamin sama"), "else": _("Jenis kelamin berbeda"), "null": _("Jenis kelamin tidak ada")},
    "household": {"same_kk": _("Nomor KK sama"), "same_street": _("RT/RW dan jalan sama"),
                  "same_rt": _("RT/RW sama"), "same_rw": _("RW sama"), "else": _("Tempat tinggal berbeda"),
                  "null": _("Data tempat tinggal tidak ada")},
}
FIELD_LABELS = {"nik": _("NIK"), "name": _("Nama"), "birth_date": _("Tanggal lahir"), "sex": _("Jenis kelamin"),
                "household": _("Keluarga / alamat")}
# Levels the engine adds later fall back to their key and the "fair" tone until they get words here.
# Strong evidence per field (the same key means different things in different fields: a NIK one digit apart in
# its region or serial is weak, a birth date one digit apart is a likely typo).
STRONG = {"nik": {"exact", "typo", "rest_one_digit", "transposed"}, "name": {"exact", "jw95"},
          "birth_date": {"exact", "swapped", "one_digit"}, "sex": {"exact"}, "household": {"same_kk", "same_street"}}
WEAK = {"else"}


def evidence_lines(evidence: dict) -> list[dict]:
    """[{field, label, text, tone}] in a fixed order; tone is "good", "weak" or "bad"."""
    lines = []
    for key in engine.COMPARISONS:
        level = (evidence or {}).get(key, "null")
        tone = "good" if level in STRONG.get(key, ()) else "bad" if level in WEAK else "weak" if level == "null" else "fair"
        lines.append({"field": key, "label": FIELD_LABELS[key], "text": EVIDENCE_WORDS[key].get(level, level),
                      "level": level, "tone": tone})
    return lines


def band_of(probability: float) -> str:
    return "auto" if probability >= engine.AUTO_LINK else "review"


# --- runs and pairs ---------------------------------------------------------------------------------------

def run_list(limit: int = 50):
    return LinkageRun.objects.select_related("created_by")[:limit]


def run_busy() -> LinkageRun | None:
    return LinkageRun.objects.filter(status__in=("queued", "running")).order_by("-created_at").first()


@dataclass
class PairFilters:
    band: str = ""  # "", "auto" (>= AUTO_LINK), "review"
    status: str = PairStatus.PENDING  # "" for every status
    run: int | None = None


def pair_queue(filters: PairFilters):
    """Candidate pairs, most probable first, with both residents and their areas in the same query."""
    qs = CandidatePair.objects.select_related(
        "left__household__rt__rw", "right__household__rt__rw", "run", "decided_by")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.band == "auto":
        qs = qs.filter(probability__gte=engine.AUTO_LINK)
    elif filters.band == "review":
        qs = qs.filter(probability__lt=engine.AUTO_LINK)
    if filters.run:
        qs = qs.filter(run_id=filters.run)
    return qs.order_by("-probability", "pk")


def pair_counts() -> dict[str, int]:
    pending = CandidatePair.objects.filter(status=PairStatus.PENDING)
    return {"pending": pending.count(), "auto": pending.filter(probability__gte=engine.AUTO_LINK).count()}


def resident_side(resident: Resident) -> dict:
    """What a reviewer compares of one resident: identity, household, and how many records hang on it."""
    from bansos.registry.services_merge import resident_links

    records = 0
    for model, fname in resident_links():
        if model._meta.app_label == "registry" and model._meta.model_name in ("residentmerge",):
            continue
        records += model._base_manager.filter(**{fname: resident.pk}).count()
    return {"resident": resident, "household": resident.household, "records": records}


# --- merges ---------------------------------------------------------------------------------------------

def merges_of(resident: Resident):
    """Merges in which the resident kept or lost its record, newest first."""
    return (ResidentMerge.objects.filter(Q(survivor=resident) | Q(duplicate=resident))
            .select_related("survivor__household", "duplicate__household", "merged_by", "undone_by")
            .order_by("-merged_at"))


def recent_merges(limit: int = 50):
    return ResidentMerge.objects.select_related("survivor__household", "duplicate__household",
                                                "merged_by", "undone_by").order_by("-merged_at")[:limit]


def final_survivor(resident: Resident) -> Resident:
    """Follow ``merged_into`` to the record that lives on (a chain of merges ends at an active record)."""
    seen = {resident.pk}
    while resident.merged_into_id and resident.merged_into_id not in seen:
        seen.add(resident.merged_into_id)
        resident = Resident.objects.select_related("household", "merged_into").get(pk=resident.merged_into_id)
    return resident


def household_aliases(household) -> list[Resident]:
    """Residents of the household kept as merged aliases, with the record they were merged into."""
    return list(household.residents.filter(status="merged").select_related("merged_into__household")
                .order_by("full_name"))


# --- agency lists ---------------------------------------------------------------------------------------

def agency_lists(user):
    from bansos.linkage.access import lists_visible

    return lists_visible(user, AgencyList.objects.select_related("agency", "uploaded_by"))


def list_rows(agency_list: AgencyList, *, status: str = "", q: str = ""):
    qs = agency_list.rows.select_related("resident__household__rt__rw")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(nik__startswith=q))
    return qs.order_by("number")


@dataclass
class HelpLine:
    """What one linked person already receives: own agency's programs by name, others' by kind."""

    own: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.own or self.kinds)


def help_by_resident(resident_ids: set[int], *, viewer, agency_id: int) -> dict[int, HelpLine]:
    """The receiving enrollments of these residents (their own, or their household's for a household program).

    DESIGN §2: an officer sees *that* a person gets help from another agency and of which kind, never
    that agency's program or amounts; its own agency's programs are named. The admin sees every name.
    """
    from bansos.programs.models import Enrollment, ProgramKind, RECEIVING_STATES

    if not resident_ids:
        return {}
    residents = dict(Resident.objects.filter(pk__in=resident_ids).values_list("pk", "household_id"))
    by_household: dict[int, list[int]] = defaultdict(list)
    for rid, hid in residents.items():
        by_household[hid].append(rid)
    enrollments = (Enrollment.objects.filter(state__in=RECEIVING_STATES)
                   .filter(Q(resident_id__in=resident_ids) | Q(resident__isnull=True, household_id__in=by_household))
                   .values_list("resident_id", "household_id", "program__name", "program__kind", "program__agency_id"))
    kinds = dict(ProgramKind.choices)
    names_all = viewer.role == Role.ADMIN
    out: dict[int, HelpLine] = {}
    for resident_id, household_id, name, kind, program_agency in enrollments:
        targets = [resident_id] if resident_id else by_household.get(household_id, [])
        for rid in targets:
            if rid not in residents:
                continue
            line = out.setdefault(rid, HelpLine())
            if program_agency == agency_id or names_all:
                if name not in line.own:
                    line.own.append(name)
            else:
                label = str(kinds.get(kind, kind))
                if label not in line.kinds:
                    line.kinds.append(label)
    return out


def list_report(agency_list: AgencyList, *, viewer) -> dict:
    """Per linked row what the person receives, and how many listed people receive help of each kind."""
    rows = list(agency_list.rows.filter(status=RowStatus.LINKED).select_related("resident").order_by("number"))
    helped = help_by_resident({r.resident_id for r in rows if r.resident_id}, viewer=viewer,
                              agency_id=agency_list.agency_id)
    by_kind: dict[str, int] = defaultdict(int)
    own = 0
    lines = []
    for r in rows:
        line = helped.get(r.resident_id, HelpLine())
        for k in line.kinds:
            by_kind[k] += 1
        if line.own:
            own += 1
        lines.append({"row": r, "help": line})
    receiving = sum(1 for x in lines if x["help"].any)
    return {"lines": lines, "by_kind": sorted(by_kind.items(), key=lambda kv: -kv[1]), "own": own,
            "receiving": receiving, "linked": len(rows)}


def list_export_rows(agency_list: AgencyList, *, viewer):
    """Every row of the list with its outcome and the help found, for the CSV download."""
    rows = list(list_rows(agency_list))
    helped = help_by_resident({r.resident_id for r in rows if r.resident_id and r.status == RowStatus.LINKED},
                              viewer=viewer, agency_id=agency_list.agency_id)
    labels = dict(RowStatus.choices)
    for r in rows:
        line = helped.get(r.resident_id, HelpLine()) if r.status == RowStatus.LINKED else HelpLine()
        yield [r.number, r.full_name, r.nik, r.birth_date.isoformat() if r.birth_date else "", r.sex,
               str(labels.get(r.status, r.status)),
               f"{r.probability:.3f}" if r.probability is not None and r.status != RowStatus.NEW else "",
               "ya" if line.any else "tidak", "; ".join(line.own), "; ".join(line.kinds)]


EXPORT_HEADERS = ["baris", "nama", "nik", "tanggal_lahir", "jenis_kelamin", "hasil", "peluang",
                  "menerima_bantuan", "program_lembaga_sendiri", "jenis_bantuan_lembaga_lain"]

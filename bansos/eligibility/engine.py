"""Rule expressions: validate, compile to one Q, explain for one household, describe in words.

An expression is a tree of ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}`` and
predicate leaves ``{"p": "<key>", "op": "<op>", "value": ...}`` (keys in ``predicates.CATALOG``).
Nodes are addressed by paths: the root is ``"0"``, its second child ``"0.1"``, and so on; the
builder's form fields and the validation errors use the same paths.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.core.formats import rupiah
from bansos.eligibility.predicates import (
    BOOL,
    CATALOG,
    CHOICE,
    FALSE,
    HOUSEHOLD_COLUMNS,
    IDS,
    MEMBER_COLUMNS,
    MONEY,
    NUMBER,
    TRUE,
    Facts,
    _welfare_model,
)
from bansos.eligibility.sql import merge_members
from bansos.registry.models import HouseholdStatus, ResidentStatus

MAX_DEPTH = 6
MAX_PREDICATES = 40
GROUPS = ("all", "any")

MSG_BAD_NODE = _("Bagian aturan tidak dikenal.")
MSG_EMPTY_GROUP = _("Kelompok syarat kosong: tambahkan paling sedikit satu syarat.")
MSG_TOO_DEEP = _("Aturan terlalu dalam: paling banyak %(max)s tingkat kelompok.")
MSG_TOO_BIG = _("Aturan terlalu besar: paling banyak %(max)s syarat.")
MSG_UNKNOWN_PREDICATE = _("Syarat “%(p)s” tidak dikenal.")
MSG_BAD_OP = _("%(label)s: cara membandingkan “%(op)s” tidak dapat dipakai.")
MSG_NOT_INTEGER = _("%(label)s: nilai “%(value)s” bukan bilangan bulat.")
MSG_MISSING_VALUE = _("%(label)s: nilai wajib diisi.")
MSG_OUT_OF_RANGE = _("%(label)s: nilai %(value)s di luar batas %(min)s sampai %(max)s.")
MSG_TOO_SMALL = _("%(label)s: nilai %(value)s lebih kecil dari %(min)s.")
MSG_RANGE_ORDER = _("%(label)s: batas bawah %(low)s lebih besar dari batas atas %(high)s.")
MSG_NO_CHOICE = _("%(label)s: pilih paling sedikit satu nilai.")
MSG_BAD_CHOICE = _("%(label)s: nilai “%(value)s” tidak ada dalam pilihan.")
MSG_BAD_BOOL = _("%(label)s: pilih ya atau tidak.")
MSG_NOT_ACTIVE = _("Keluarga tidak berstatus aktif, jadi tidak dinilai layak.")



def node_kind(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    if "p" in node:
        return "p"
    for kind in ("all", "any", "not"):
        if kind in node and len(node) == 1:
            return kind
    return None


def children(node: dict) -> list:
    kind = node_kind(node)
    if kind in GROUPS:
        return list(node[kind]) if isinstance(node[kind], list) else []
    if kind == "not":
        return [node["not"]]
    return []


# --- Validation ---------------------------------------------------------------------------------


def _int(raw: Any, *, money: bool) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if money:
            text = text.upper().removeprefix("RP").strip()
            text = text.replace(".", "").replace(" ", "")
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def _fmt(predicate, value) -> str:
    return rupiah(value) if predicate.kind == MONEY and isinstance(value, int) else str(value)


def _validate_number(predicate, op: str, raw: Any, errors: list[str]) -> Any:
    label = str(predicate.label)
    money = predicate.kind == MONEY
    raws = raw if op == "between" else [raw]
    if op == "between" and (not isinstance(raw, (list, tuple)) or len(raw) != 2):
        errors.append(str(MSG_MISSING_VALUE) % {"label": label})
        return None
    numbers = []
    for item in raws:
        if item is None or (isinstance(item, str) and not item.strip()):
            errors.append(str(MSG_MISSING_VALUE) % {"label": label})
            return None
        number = _int(item, money=money)
        if number is None:
            errors.append(str(MSG_NOT_INTEGER) % {"label": label, "value": item})
            return None
        if predicate.maximum is not None and not predicate.minimum <= number <= predicate.maximum:
            errors.append(str(MSG_OUT_OF_RANGE) % {"label": label, "value": number, "min": predicate.minimum,
                                                     "max": predicate.maximum})
            return None
        if number < predicate.minimum:
            errors.append(str(MSG_TOO_SMALL) % {"label": label, "value": _fmt(predicate, number),
                                                  "min": _fmt(predicate, predicate.minimum)})
            return None
        numbers.append(number)
    if op == "between":
        if numbers[0] > numbers[1]:
            errors.append(str(MSG_RANGE_ORDER) % {"label": label, "low": _fmt(predicate, numbers[0]),
                                                    "high": _fmt(predicate, numbers[1])})
            return None
        return numbers
    return numbers[0]


def _validate_choice(predicate, raw: Any, errors: list[str]) -> Any:
    label = str(predicate.label)
    items = raw if isinstance(raw, (list, tuple)) else ([raw] if raw not in (None, "") else [])
    if not items:
        errors.append(str(MSG_NO_CHOICE) % {"label": label})
        return None
    if predicate.kind == IDS:
        out = []
        for item in items:
            number = _int(item, money=False)
            if number is None or number < 1:
                errors.append(str(MSG_NOT_INTEGER) % {"label": label, "value": item})
                return None
            out.append(number)
        return sorted(set(out))
    allowed = {str(code): code for code, _label in predicate.choices()}
    out = []
    for item in items:
        code = allowed.get(str(item))
        if code is None:
            errors.append(str(MSG_BAD_CHOICE) % {"label": label, "value": item})
            return None
        if code not in out:
            out.append(code)
    return out


def _validate_bool(predicate, raw: Any, errors: list[str]) -> Any:
    if isinstance(raw, bool):
        return raw
    if raw in ("1", "true", "ya", 1):
        return True
    if raw in ("0", "false", "tidak", 0):
        return False
    errors.append(str(MSG_BAD_BOOL) % {"label": str(predicate.label)})
    return None


def validate_leaf(node: dict) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    predicate = CATALOG.get(node.get("p")) if isinstance(node.get("p"), str) else None
    if predicate is None:
        return None, [str(MSG_UNKNOWN_PREDICATE) % {"p": node.get("p")}]
    op = node.get("op")
    if op not in predicate.ops:
        return None, [str(MSG_BAD_OP) % {"label": str(predicate.label), "op": op}]
    raw = node.get("value")
    if predicate.kind in (NUMBER, MONEY):
        value = _validate_number(predicate, op, raw, errors)
    elif predicate.kind in (CHOICE, IDS):
        value = _validate_choice(predicate, raw, errors)
    else:
        value = _validate_bool(predicate, raw, errors)
    if errors:
        return None, errors
    return {"p": predicate.key, "op": op, "value": value}, []


def expression_validate(expression: Any) -> tuple[dict | None, dict[str, list[str]]]:
    """A normalised copy of ``expression`` and the errors per node path (empty when valid)."""
    errors: dict[str, list[str]] = {}
    leaves = 0

    def walk(node: Any, path: str, depth: int) -> dict | None:
        nonlocal leaves
        kind = node_kind(node)
        if kind is None:
            errors.setdefault(path, []).append(str(MSG_BAD_NODE))
            return None
        if kind == "p":
            leaves += 1
            clean, problems = validate_leaf(node)
            if problems:
                errors.setdefault(path, []).extend(problems)
            return clean
        if depth >= MAX_DEPTH:
            errors.setdefault(path, []).append(str(MSG_TOO_DEEP) % {"max": MAX_DEPTH})
            return None
        if kind == "not":
            inner = walk(node["not"], f"{path}.0", depth + 1)
            return {"not": inner} if inner is not None else None
        items = node[kind]
        if not isinstance(items, list) or not items:
            errors.setdefault(path, []).append(str(MSG_EMPTY_GROUP))
            return None
        out = [walk(child, f"{path}.{i}", depth + 1) for i, child in enumerate(items)]
        return {kind: out} if all(c is not None for c in out) else None

    clean = walk(expression, "0", 0)
    if leaves > MAX_PREDICATES:
        errors.setdefault("0", []).append(str(MSG_TOO_BIG) % {"max": MAX_PREDICATES})
    return (clean if not errors else None), errors


# --- Bulk evaluation ------------------------------------------------------------------------------


def compile_q(expression: dict, reference_date: dt.date) -> Q:
    """One Q over Household for a validated expression (status not included)."""
    kind = node_kind(expression)
    if kind == "p":
        predicate = CATALOG[expression["p"]]
        return predicate.q(expression["op"], expression["value"], reference_date)
    if kind == "not":
        return ~compile_q(expression["not"], reference_date)
    parts = [compile_q(child, reference_date) for child in expression[kind]]
    if kind == "any":
        parts = merge_members(parts)
    if not parts:
        return TRUE if kind == "all" else FALSE
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if kind == "all" else (combined | part)
    # Wrapping keeps a lone negated child from being merged into its parent's connector.
    return Q(combined)


def eligible_households(expression: dict, reference_date: dt.date):
    """Active households that meet ``expression``, as one queryset evaluated by the database."""
    from bansos.registry.models import Household

    return Household.objects.filter(status=HouseholdStatus.ACTIVE).filter(compile_q(expression, reference_date))


# --- One household ---------------------------------------------------------------------------------


def facts_load(household_id: int, reference_date: dt.date) -> Facts | None:
    """What the explanation needs about one household: three small queries."""
    from bansos.registry.models import Household, Resident

    # Plain slices without ordering: first() would add an ORDER BY the explanation never needs.
    rows = list(Household.objects.filter(pk=household_id).order_by()
                .values(*HOUSEHOLD_COLUMNS, rw_number=_rw_number())[:1])
    if not rows:
        return None
    row = rows[0]
    members = list(Resident.objects.filter(household_id=household_id, status=ResidentStatus.ACTIVE)
                   .order_by().values(*MEMBER_COLUMNS))
    decile = None
    model = _welfare_model()
    if model is not None:
        deciles = list(model.objects.filter(household_id=household_id).order_by().values_list("decile", flat=True)[:1])
        decile = deciles[0] if deciles else None
    from bansos.programs.models import RECEIVING_STATES, Enrollment

    programs = frozenset(Enrollment.objects.filter(household_id=household_id, state__in=RECEIVING_STATES)
                         .order_by().values_list("program_id", flat=True))
    return Facts(household=row, members=members, welfare_decile=decile, reference_date=reference_date,
                 program_ids=programs)


def _rw_number():
    from django.db.models import F

    return F("rt__rw__number")


def condition_text(predicate, op: str, value: Any) -> str:
    def fmt(v):
        return rupiah(v) if predicate.kind == MONEY else str(v)

    if predicate.kind == BOOL:
        return _t("ya") if value else _t("tidak")
    if op == "between":
        return _t("%(low)s sampai %(high)s") % {"low": fmt(value[0]), "high": fmt(value[1])}
    if op == "lte":
        return _t("paling banyak %(v)s") % {"v": fmt(value)}
    if op == "gte":
        return _t("paling sedikit %(v)s") % {"v": fmt(value)}
    if op == "eq":
        return fmt(value)
    if predicate.kind == IDS:
        names = [str(v) for v in value]
    else:
        labels = {str(code): label for code, label in predicate.choices()}
        names = [labels.get(str(v), str(v)) for v in value]
    if len(names) == 1:
        return names[0]
    return _t("%(first)s atau %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def actual_text(predicate, actual: Any) -> str:
    if predicate.show is not None:
        return predicate.show(actual)
    if actual is None or actual == "":
        return _t("belum diisi")
    if predicate.kind == MONEY:
        return rupiah(actual)
    if predicate.kind == CHOICE and predicate.choices is not None:
        labels = {str(code): label for code, label in predicate.choices()}
        return labels.get(str(actual), str(actual))
    return str(actual)


def explain(expression: dict, facts: Facts, path: str = "0") -> dict:
    """The expression as a tree of met / not met, with the values per predicate, for one household."""
    kind = node_kind(expression)
    if kind == "p":
        predicate = CATALOG[expression["p"]]
        actual = predicate.actual(facts)
        met = predicate.matches(expression["op"], expression["value"], actual)
        condition = condition_text(predicate, expression["op"], expression["value"])
        shown = actual_text(predicate, actual)
        verdict = _t("terpenuhi") if met else _t("tidak terpenuhi")
        return {
            "kind": "p", "path": path, "met": met, "label": str(predicate.label), "actual": shown,
            "condition": condition, "note": str(predicate.note) if predicate.note else "",
            "text": f"{predicate.label} {shown} — {_t('syarat')}: {condition} — {verdict}",
        }
    if kind == "not":
        inner = explain(expression["not"], facts, f"{path}.0")
        return {"kind": "not", "path": path, "met": not inner["met"], "children": [inner]}
    items = [explain(child, facts, f"{path}.{i}") for i, child in enumerate(expression[kind])]
    met = all(c["met"] for c in items) if kind == "all" else any(c["met"] for c in items)
    return {"kind": kind, "path": path, "met": met, "children": items}


def evaluate(expression: dict, facts: Facts) -> bool:
    """Whether one household meets ``expression`` (active households only, as in bulk)."""
    if facts.household["status"] != HouseholdStatus.ACTIVE:
        return False
    return explain(expression, facts)["met"]


# --- Words ----------------------------------------------------------------------------------------


def describe(expression: dict | None, *, top: bool = True) -> str:
    """The rule in plain Indonesian: "Desil kesejahteraan 1 sampai 4 DAN (Ada balita ATAU ...)"."""
    kind = node_kind(expression)
    if kind is None:
        return ""
    if kind == "p":
        predicate = CATALOG.get(expression["p"])
        if predicate is None:
            return str(expression["p"])
        if predicate.kind == BOOL:
            return str(predicate.label) if expression["value"] else f"{_t('BUKAN')} {predicate.label}"
        sep = ": " if predicate.kind in (CHOICE, IDS) else " "
        return f"{predicate.label}{sep}{condition_text(predicate, expression['op'], expression['value'])}"
    if kind == "not":
        return f"{_t('BUKAN')} ({describe(expression['not'], top=False)})"
    items = expression[kind]
    word = f" {_t('DAN') if kind == 'all' else _t('ATAU')} "
    text = word.join(describe(child, top=False) for child in items)
    return text if top or len(items) == 1 else f"({text})"

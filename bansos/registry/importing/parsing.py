"""Parse the rows of a households file and cut them into chunks for the import to write.

Everything here depends on the file alone, never on the database, so it can run in a process of
its own beside the one that writes (see ``pipeline``): parsing and validating every cell, and
finding NIKs that the file repeats.

Speed comes from doing per row only what the row needs: household cells are parsed once per KK,
repeated cells are looked up in per-column memos, and a plainly valid CSV row takes a fast path
that skips the general checks' bookkeeping; every row the fast path is unsure about takes the
general path, which writes the messages.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from bansos.core.models import RT
from bansos.registry.identifiers import region_ok as _nik_region_ok
from bansos.registry.importing.cells import CellError, parser_for
from bansos.registry.importing.seen import RunIndex
from bansos.registry.models import Resident, Sex
from bansos.registry.names import name_key
from bansos.registry.validation import RESIDENT_FIELDS, Errors, check_household, check_resident

MSG_RT_UNKNOWN = _("RT %(rt)s/RW %(rw)s tidak ada di kelurahan ini.")
MSG_DUPLICATE_NIK = _("NIK ini sudah ada di baris %(row)s berkas ini.")

STORED, UPDATED, REJECTED = "stored", "updated", "rejected"

_MISSING = object()
_MEMO_SIZE = 50_000
# Parsed households by their cells. Consecutive rows of a KK hit the fast path's last-household
# check; this only serves the rare KK whose rows are not together, so it can stay small.
_HOUSEHOLD_CACHE = 4096
# A name that text() and clean_name() would only upper-case (single spaces, nothing to drop).
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z .,'\-]*\Z")


class Row:
    """One data row of the file: what the report shows, and its values when it is valid.

    ``resident`` is what the parser made of the person's cells (the cells that were empty are
    left out). ``finish`` turns it into ``values``, the person's columns in RESIDENT_FIELDS
    order with the model's defaults for empty cells and the name's search key last, and
    ``mask``, a bit per field that the file filled in (1 << its position): the form the
    writing side inserts and compares, and cheap to send to it (see ``pipeline``).
    """

    __slots__ = ("number", "kk", "nik", "name", "status", "reason", "relation", "household", "values", "mask",
                 "resident")

    def __init__(self, number: int, kk: str = "", nik: str = "", name: str = "", status: str = "",
                 reason: str = "", relation: str = "", household: dict[str, Any] | None = None,
                 values: tuple[Any, ...] | None = None, mask: int = 0,
                 resident: dict[str, Any] | None = None) -> None:
        self.number = number
        self.kk = kk
        self.nik = nik
        self.name = name
        self.status = status
        self.reason = reason
        self.relation = relation
        self.household = household
        self.values = values
        self.mask = mask
        self.resident: dict[str, Any] = {} if resident is None else resident

    def wire(self) -> tuple[Any, ...]:
        """The row as Row(*wire) takes it back, without the parser's dict: a tuple pickles several times faster."""
        return (self.number, self.kk, self.nik, self.name, self.status, self.reason, self.relation,
                self.household, self.values, self.mask)

    def reject(self, reason: str) -> None:
        self.status = REJECTED
        self.reason = reason

    def filled(self) -> dict[str, Any]:
        """The fields the file filled in, in RESIDENT_FIELDS order (what an update may change)."""
        mask = self.mask
        return {name: value for name, value, bit in zip(RESIDENT_FIELDS, self.values, _FIELD_BITS) if mask & bit}


# Where finish() puts each field, and what it puts where the file left the cell empty.
_FIELD_AT = {name: position for position, name in enumerate(RESIDENT_FIELDS)}
_FIELD_BITS = tuple(1 << position for position in range(len(RESIDENT_FIELDS)))
_NAME_AT = _FIELD_AT["full_name"]
_NIK_AT = _FIELD_AT["nik"]
_SEX_AT = _FIELD_AT["sex"]
_BIRTH_AT = _FIELD_AT["birth_date"]
_RELATION_AT = _FIELD_AT["relation"]
_PREGNANT_AT = _FIELD_AT["pregnant"]
_INCOME_AT = _FIELD_AT["monthly_income"]
_FEMALE = Sex.FEMALE.value  # a plain string: an enum member is looked up on every use
_EMPTY_VALUES = [
    *(Resident._meta.get_field(name).get_default() for name in RESIDENT_FIELDS),
    "",  # the name key
]
_NAME_KEY_MEMO = 50_000


def _key_of_name(name: str, memo: dict[str, str]) -> str:
    """registry.names.name_key, short-cut for a name of letters and single spaces (its own key)."""
    if name.isascii() and name.replace(" ", "").isalpha() and name.isupper() and "  " not in name:
        return name.strip()
    key = memo.get(name)
    if key is None:
        key = name_key(name)
        if len(memo) < _NAME_KEY_MEMO:
            memo[name] = key
    return key


def finish(rows: list[Row], name_keys: dict[str, str]) -> None:
    """Give every valid row its ``values`` and ``mask`` (see Row)."""
    field_at = _FIELD_AT
    for row in rows:
        if row.status or row.values is not None:
            continue
        values = _EMPTY_VALUES.copy()
        mask = 0
        for key, value in row.resident.items():
            if value is not None:
                at = field_at[key]
                values[at] = value
                if value != "":
                    mask |= 1 << at
        values[-1] = _key_of_name(values[_NAME_AT], name_keys)
        row.values = tuple(values)
        row.mask = mask


class Parser:
    """Precompiled per-file parsing: which cell goes where, with which parser.

    ``parse`` first tries a fast path for the common row of a CSV file (every cell already seen or
    plainly written, the row valid); it gives up on anything unusual and hands the row to the
    general path, which produces every message. The fast path therefore only has to recognise rows
    the general path would store, and build the same values for them
    (tests/registry/test_import_fast.py compares the two on messy files).
    """

    def __init__(self, layout, rts: dict[tuple[int, int], RT], today: dt.date) -> None:
        self.resident_specs: list[tuple[int, str, str, Callable[[Any], Any], dict | None]] = []
        self.household_specs: list[tuple[int, str, str, Callable[[Any], Any], dict | None]] = []
        self.rts = rts
        self.today = today
        self.header_of: dict[str, str] = {}
        for index, column in layout.positions:
            model, _dot, name = column.target.partition(".")
            # Most cells repeat (choices, dates, places): remember what a text parsed to. Names and
            # identifiers are unique per row, so they are parsed every time.
            memo = None if name in ("nik", "full_name", "kk_number") else {}
            spec = (index, column.header, name, parser_for(column), memo)
            self.header_of[name] = column.header
            if model == "resident":
                self.resident_specs.append(spec)
            else:
                self.household_specs.append(spec)
        self.header_of["rt"] = "rt"
        indexes = [spec[0] for spec in self.household_specs]
        # itemgetter with several indexes returns the tuple of those cells: the household's cache key.
        self.household_key = operator.itemgetter(*indexes) if len(indexes) > 1 else (lambda r: (r[indexes[0]],))
        self.width = max(index for index, _c in layout.positions) + 1
        self._households: dict[tuple[Any, ...], tuple[dict[str, Any] | None, list[str]]] = {}
        # Fast path: CSV cells are always text, so the memo of each column can be used blindly.
        self.fast = layout.kind == "csv"
        self._fast_specs = [
            (index, _FIELD_AT[name], 1 << _FIELD_AT[name], parse, memo)
            for index, _h, name, parse, memo in self.resident_specs
        ]
        self._name_keys: dict[str, str] = {}
        self._name_limit = Resident._meta.get_field("full_name").max_length
        self._nik_parts: dict[dt.date, tuple[str, str] | None] = {}
        self._regions: dict[str, bool] = {}
        self._last_key: tuple[Any, ...] | None = None
        self._last_household: dict[str, Any] | None = None

    def _label(self, name: str) -> str:
        return self.header_of.get(name, name)

    def _household(self, row) -> tuple[dict[str, Any] | None, list[str]]:
        key = self.household_key(row)
        cached = self._households.get(key)
        if cached is not None:
            return cached
        if len(self._households) > _HOUSEHOLD_CACHE:
            self._households.clear()
        data: dict[str, Any] = {"kk_number": None, "address": None}
        problems: list[str] = []
        for index, header, name, parse, memo in self.household_specs:
            raw = row[index]
            if raw is None or raw == "":
                continue
            value = memo.get(raw, _MISSING) if memo is not None and raw.__class__ is str else _MISSING
            if value is _MISSING:
                try:
                    value = parse(raw)
                except CellError as exc:
                    problems.append(f"{header}: {exc}")
                    continue
                if memo is not None and raw.__class__ is str and len(memo) < _MEMO_SIZE:
                    memo[raw] = value
            if value is not None:
                data[name] = value
        rt_number, rw_number = data.pop("rt", None), data.pop("rw", None)
        data["rt"] = None
        if rt_number is not None and rw_number is not None:
            rt = self.rts.get((rw_number, rt_number))
            if rt is None:
                problems.append(f"rt/rw: {MSG_RT_UNKNOWN % {'rt': rt_number, 'rw': rw_number}}")
            data["rt"] = rt
        errors = Errors()
        clean = check_household(data, errors, today=self.today)
        if data["rt"] is None and "rt" in errors and any(p.startswith("rt/rw:") for p in problems):
            del errors["rt"]
        for name, messages in errors.items():
            for message in messages:
                problems.append(f"{self._label(name)}: {message}")
        # Kept as the plan compares and writes it: empty values dropped, the RT as its id.
        plain = None if problems else {
            name: value.pk if name == "rt" else value for name, value in clean.items()
            if value is not None and value != ""
        }
        result = (plain, problems)
        self._households[key] = result
        return result

    def parse(self, number: int, row) -> Row:
        if self.fast:
            out = self._parse_fast(number, row)
            if out is not None:
                return out
        return self._parse_general(number, row)

    def _nik_part(self, birth: dt.date) -> tuple[str, str] | None:
        """The NIK's date digits for a man and for a woman born on ``birth``, or None to check it fully."""
        parts = self._nik_parts.get(birth, _MISSING)
        if parts is _MISSING:
            parts = None
            # Outside these bounds check_resident has its own messages: leave them to the general path.
            if 1900 <= birth.year and birth <= self.today:
                tail = f"{birth.month:02d}{birth.year % 100:02d}"
                parts = (f"{birth.day:02d}{tail}", f"{birth.day + 40:02d}{tail}")
            if len(self._nik_parts) < _MEMO_SIZE:
                self._nik_parts[birth] = parts
        return parts

    def _region_ok(self, region: str) -> bool:
        ok = self._regions.get(region)
        if ok is None:
            ok = self._regions[region] = _nik_region_ok(region)
        return ok

    def _parse_fast(self, number: int, row) -> Row | None:
        """The row's values when it is plainly valid, else None (the general path decides)."""
        if len(row) < self.width:
            return None
        key = self.household_key(row)
        if key == self._last_key:
            household = self._last_household
        else:
            household, _problems = self._household(row)
            self._last_key, self._last_household = key, household
        if household is None:
            return None
        # Straight into the values a writer inserts (see Row), with a bit per filled field.
        values = _EMPTY_VALUES.copy()
        mask = 0
        for index, at, bit, parse, memo in self._fast_specs:
            raw = row[index]
            if not raw:
                continue
            if memo is not None:  # NIK and name have none: checked below
                value = memo.get(raw, _MISSING)
                if value is _MISSING:
                    try:
                        value = parse(raw)
                    except CellError:
                        return None
                    if len(memo) < _MEMO_SIZE:
                        memo[raw] = value
                if value is None:
                    continue
                raw = value
            values[at] = raw
            mask |= bit
        sex = values[_SEX_AT]
        birth = values[_BIRTH_AT]
        relation = values[_RELATION_AT]
        nik = values[_NIK_AT]
        name = values[_NAME_AT]
        if not (sex and birth and relation and nik and name):
            return None
        # The NIK as the general path accepts it: 16 ASCII digits, a known region, the person's own
        # birth date and sex in the middle, a serial that is not 0000.
        if len(nik) != 16 or not (nik.isdigit() and nik.isascii()) or nik[12:] == "0000":
            return None
        parts = self._nik_parts.get(birth, _MISSING)
        if parts is _MISSING:
            parts = self._nik_part(birth)
        if parts is None or nik[6:12] != parts[sex == _FEMALE]:
            return None
        region = self._regions.get(nik[:6])
        if region is None:
            region = self._region_ok(nik[:6])
        if not region:
            return None
        # The name as text() and clean_name() leave it, when it is plain letters and punctuation.
        if not name.isascii():
            return None
        name = " ".join(name.split())
        if len(name) > self._name_limit or not _PLAIN_NAME.match(name):
            return None
        values[_NAME_AT] = name = name.upper()
        if values[_PREGNANT_AT] and (sex != _FEMALE or not 10 <= self.today.year - birth.year <= 60):
            return None
        income = values[_INCOME_AT]
        if income is not None and income < 0:
            return None
        values[-1] = _key_of_name(name, self._name_keys)
        return Row(number, household["kk_number"], nik, name, "", "", relation, household, tuple(values), mask)

    def _parse_general(self, number: int, row) -> Row:
        out = Row(number)
        if len(row) < self.width:
            row = list(row) + [None] * (self.width - len(row))
        resident: dict[str, Any] = {}
        problems: list[str] = []
        for index, header, name, parse, memo in self.resident_specs:
            raw = row[index]
            if raw is None or raw == "":
                continue
            if memo is not None and raw.__class__ is str:
                value = memo.get(raw, _MISSING)
                if value is _MISSING:
                    try:
                        value = parse(raw)
                    except CellError as exc:
                        problems.append(f"{header}: {exc}")
                        continue
                    if len(memo) < _MEMO_SIZE:
                        memo[raw] = value
            else:
                try:
                    value = parse(raw)
                except CellError as exc:
                    problems.append(f"{header}: {exc}")
                    continue
            if value is not None:
                resident[name] = value
        household, household_problems = self._household(row)
        out.name = str(resident.get("full_name") or "")[:120]
        raw_nik = resident.get("nik")
        out.nik = str(raw_nik or "")[:40]
        errors = Errors()
        clean = check_resident(resident, errors, today=self.today)
        for name, messages in errors.items():
            for message in messages:
                problems.append(f"{self._label(name)}: {message}")
        if household is not None:
            out.kk = household["kk_number"]
        else:
            for k_index, _header, name, _parse, _memo in self.household_specs:
                if name == "kk_number":
                    out.kk = str(row[k_index] or "").strip()[:40]
        problems.extend(household_problems)
        if problems:
            out.reject("; ".join(problems))
            return out
        out.nik = clean["nik"]
        out.name = clean["full_name"]
        out.relation = clean["relation"]
        out.resident = clean
        out.household = household
        return out


def blank(cells) -> bool:
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def mark_duplicates(rows: list[Row], index: RunIndex) -> None:
    """Reject every row whose NIK an earlier row of the file has (earlier chunks first, then this one)."""
    valid = [r for r in rows if not r.status]
    earlier = index.claim([(r.nik, r.number) for r in valid])
    for row in valid:
        first = earlier.get(row.nik)
        if first is not None:
            row.reject(str(MSG_DUPLICATE_NIK % {"row": first}))
            continue
        earlier[row.nik] = row.number


def parsed_chunks(rows: Iterator[tuple[int, Any]], parser: Parser, index: RunIndex,
                  chunk_rows: int) -> Iterator[tuple[list[Row], int]]:
    """(parsed rows, blank lines skipped before them) per chunk of about ``chunk_rows`` rows.

    A chunk never ends between two consecutive rows of the same KK, so a household written in
    one piece stays in one transaction.
    """
    chunk: list[Row] = []
    blanks = 0
    last_kk = None
    parse = parser.parse
    name_keys: dict[str, str] = {}
    for number, cells in rows:
        if blank(cells):
            blanks += 1
            continue
        row = parse(number, cells)
        if len(chunk) >= chunk_rows and row.kk != last_kk:
            mark_duplicates(chunk, index)
            finish(chunk, name_keys)
            yield chunk, blanks
            chunk, blanks = [], 0
        chunk.append(row)
        last_kk = row.kk
    if chunk or blanks:
        mark_duplicates(chunk, index)
        finish(chunk, name_keys)
        yield chunk, blanks

"""The linkage engine: Splink (Fellegi-Sunter) on DuckDB, independent of Django.

Records come in as plain tuples (see ``RECORD_FIELDS``), are prepared into an Arrow table
(canonical names, birth-date parts, street without house number), and go to Splink:

- ``dedupe`` finds pairs of records within one table that are probably the same person;
- ``link`` finds, for each row of a list, the registry records that are probably that person.

Parameters are estimated without labels, as Splink does: the chance that two random records
match from deterministic rules, u (how often a level happens by chance) by random sampling of
pairs (and, for the equality levels, by counting values exactly), m (how often it happens for the
same person) by expectation maximisation over blocked pairs. The trained model is returned as
JSON so every run keeps the model it used.

Evidence is built so that no fact counts twice (Fellegi-Sunter multiplies the comparisons as if
they were independent): the NIK's birth-date digits are not compared again as NIK agreement, only
used to tell a mistyped NIK (one that does not fit its own holder) from a neighbour's; KK, RT/RW
and street are one comparison; the weight of an exact name depends on how common the name is.
After prediction one record is one person: a record's weaker pair is capped by its best rival.

Blocking keeps the compared pairs near linear in the input: every rule is an equality on
columns selective enough that a block holds a handful of people (see ``BLOCKING``). A pair
found by several rules is compared once.

One machine runs this on DuckDB. Past one machine the same settings run on Splink's Spark
backend (``splink.SparkAPI``): only the ``DuckDBAPI`` line changes (see the app's README).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bansos.linkage.names import canonical_name

# What a record is made of, in order. ``unique_id`` is the resident's id (or the list row's).
RECORD_FIELDS = ("unique_id", "nik", "full_name", "sex", "birth_date", "kk", "rw", "rt", "address")

# Pairs at or above AUTO_LINK are linked without review; between REVIEW_MIN and AUTO_LINK a person
# decides. Chosen on the benchmark's known truth (bench/linkage.py): at 0.9 about 99% of automatic
# links are right at 1,000,000 residents, and the review band catches most of what is left; F1
# moves by less than 0.003 anywhere between 0.8 and 0.95, so the constant is not a fine tuning.
AUTO_LINK = 0.9
REVIEW_MIN = 0.5

Progress = Callable[[int, str], None]  # (percent done, what is happening)

# Comparison levels: (key, SQL condition). The first is the null level. Order matters: Splink
# takes the first level whose condition holds. Keys name the evidence shown to reviewers.
COMPARISONS: dict[str, list[tuple[str, str]]] = {
    # A NIK is region (6 digits), birth date (6: DDMMYY, day + 40 for women) and serial (4). The birth
    # date is compared on its own below: comparing whole NIKs would count those digits twice, and
    # two people born on the same day in one kecamatan have NIKs a digit apart (serial 0001, 0002).
    # So apart from "exact" the NIK levels look at region + serial ("rest") only, whose agreement by
    # chance random sampling measures honestly (most residents share the region and serial 0001).
    "nik": [
        ("null", "nik_l IS NULL OR nik_r IS NULL"),
        ("exact", "nik_l = nik_r"),
        # One digit apart or two neighbours swapped, and one of the two NIKs does not fit
        # (``nik_ok``: its birth digits are not its holder's birth date and sex, or its region or
        # serial is one the registry hardly knows): a typo. Two people hardly ever get here by chance.
        ("typo", "damerau_levenshtein(nik_l, nik_r) = 1 AND NOT (nik_ok_l AND nik_ok_r)"),
        # Two NIKs that both fit, one digit apart in region or serial: a typo, or two people born on
        # the same day in neighbouring kecamatan (or one after the other in one): weak either way.
        ("one_digit", "damerau_levenshtein(nik_rest_l, nik_rest_r) = 1"),
        ("same_parts", "nik_rest_l = nik_rest_r"),
        # Re-issued in another region: birth digits and serial kept (the serial alone is weak
        # evidence, most people's is 0001; without it the NIKs are two people's).
        ("serial", "substr(nik_rest_l, 7) = substr(nik_rest_r, 7)"),
        ("else", "ELSE"),
    ],
    "name": [
        ("null", "name_l IS NULL OR name_r IS NULL"),
        # Term-frequency adjusted: "SITI AMINAH" on both sides is weaker evidence than "YOHANA SIREGAR".
        ("exact", "name_l = name_r"),
        # Jaro-Winkler favours a shared beginning: "MIKAEL HARAHAP" and "MIKAEL UTOMO" score high.
        # The last words must be alike too, so a shared given name is only "part".
        ("jw95", "jaro_winkler_similarity(name_l, name_r) >= 0.95 AND jaro_winkler_similarity(last_l, last_r) >= 0.85"),
        ("jw88", "jaro_winkler_similarity(name_l, name_r) >= 0.88 AND jaro_winkler_similarity(last_l, last_r) >= 0.80"),
        ("part", "first_l = first_r OR last_l = last_r OR jaro_winkler_similarity(name_l, name_r) >= 0.80"),
        ("else", "ELSE"),
    ],
    "birth_date": [
        ("null", "birth_date_l IS NULL OR birth_date_r IS NULL"),
        ("exact", "birth_date_l = birth_date_r"),
        ("swapped", "birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND birth_day_l = birth_month_r"),
        # One digit of YYYY-MM-DD mistyped (or two neighbours swapped).
        ("one_digit", "damerau_levenshtein(CAST(birth_date_l AS VARCHAR), CAST(birth_date_r AS VARCHAR)) = 1"),
        ("one_year", "abs(date_diff('day', birth_date_l, birth_date_r)) <= 366"),
        ("else", "ELSE"),
    ],
    "sex": [
        ("null", "sex_l IS NULL OR sex_r IS NULL"),
        ("exact", "sex_l = sex_r"),
        ("else", "ELSE"),
    ],
    # KK, RT/RW and street are one comparison: they move together (a family shares all three), and
    # as three comparisons they would count the same fact three times.
    "household": [
        ("null", "(kk_l IS NULL OR kk_r IS NULL) AND (rw_l IS NULL OR rw_r IS NULL)"),
        ("same_kk", "kk_l = kk_r"),
        ("same_street", "rw_l = rw_r AND rt_l = rt_r AND jaro_winkler_similarity(street_l, street_r) >= 0.9"),
        ("same_rt", "rw_l = rw_r AND rt_l = rt_r"),
        ("same_rw", "rw_l = rw_r"),
        ("else", "ELSE"),
    ],
}

# Levels whose weight is adjusted by how common the value is (Splink's term-frequency adjustment).
TF_LEVELS = {("name", "exact"): "name"}

# Each rule is an equality on columns selective enough that a block holds a handful of people.
# Together they keep 99.7% of the benchmark's planted duplicates among the compared pairs, with
# 1.9 million compared pairs at 1,000,000 residents (measured; the older set of six kept 96.9%).
# Name and NIK tail (birth digits and serial) finds the same name whose birth date was written
# wrong or whose NIK region was mistyped or re-issued: at a million residents it compares 20,000
# pairs where name and birth year compared 2.9 million for no more duplicates found.
BLOCKING = [
    ("nik",),
    ("name", "nik_tail"),
    ("birth_date", "initial"),
    ("birth_date", "last"),
    ("nik12", "initial"),
    ("kk", "initial"),
    ("kk", "birth_date"),
]
# An agency list often has no NIK, no KK or a wrong birth date: name and birth year as well (a
# list of 50,000 against the registry compares few pairs this way; the registry with itself many).
LINK_BLOCKING = [*BLOCKING, ("name", "birth_year")]


def _street(address: str | None) -> str | None:
    if not address:
        return None
    text = re.split(r"\bNO\b|\d", str(address).upper().replace(".", " "), maxsplit=1)[0]
    text = re.sub(r"[^A-Z ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def _clean_nik(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 16 and value.isdigit():
        return value  # the common case, without a regular expression
    digits = re.sub(r"\D", "", str(value or ""))
    return digits if len(digits) == 16 else None


def _nik_column(values: list):
    """Arrow strings of ``_clean_nik`` of every value: 16-digit text passes as it is (checked by
    Arrow, the registry's case), Python cleans only the others (spaces, dots, numbers, blanks)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the cells of a list
        return pa.array([_clean_nik(v) for v in values], pa.string())
    ok = pc.fill_null(pc.and_(pc.equal(pc.utf8_length(arr), 16), pc.utf8_is_decimal(arr)), False)
    if pc.all(ok).as_py() is not False:
        return arr
    fixed = list(values)
    for i in pc.indices_nonzero(pc.invert(ok)).to_pylist():
        fixed[i] = _clean_nik(fixed[i])
    return pa.array(fixed, pa.string())


def _birth_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _mapped(values: list, fn: Callable[[Any], Any], type_):
    """Arrow array of ``fn`` of every value, computed once per distinct value (names, dates and
    streets repeat a lot): Arrow finds the distinct values, Python maps only those."""
    import pyarrow as pa

    try:
        encoded = pa.array(values).dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Mixed types in one column (a list's cells): one value at a time, still once per value.
        seen: dict[Any, Any] = {}
        return pa.array([seen[v] if v in seen else seen.setdefault(v, fn(v)) for v in values], type_)
    if not isinstance(encoded, pa.DictionaryArray):  # an all-null column
        return pa.nulls(len(values), type_)
    dictionary = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], type_)
    return dictionary.take(encoded.indices)


def _words(name: str | None) -> tuple[str | None, str | None, str | None]:
    if not name:
        return None, None, None
    words = name.split()
    return words[0], words[-1], name[0]


def prepare(rows: Iterable[tuple], *, source: str | None = None):
    """An Arrow table of linkage records from tuples of ``RECORD_FIELDS``.

    Column by column: names, dates and streets are canonicalised once per distinct value, and
    the NIK's parts and the birth-date parts are computed by Arrow (a million records take a few
    seconds).
    """
    rows = rows if isinstance(rows, list) else list(rows)
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in RECORD_FIELDS]
    uid, nik, full_name, sex, birth_date, kk, rw, rt, address = columns
    del columns, rows
    return assemble(person_columns(uid, nik, full_name, sex, birth_date), place_columns(kk, rw, rt, address),
                    source=source)


def person_columns(uid: list, nik: list, full_name: list, sex: list, birth_date: list) -> dict[str, Any]:
    """The prepared columns of who a record is (NIK and its parts, canonical name, sex, birth date)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    nik = _nik_column(nik)
    name = _mapped(full_name, lambda v: canonical_name(v or "") or None, pa.string())
    del full_name
    parts = _mapped(name.to_pylist() if len(name) else [], _words,
                    pa.struct([("first", pa.string()), ("last", pa.string()), ("initial", pa.string())]))
    born = _mapped(birth_date, _birth_date, pa.date32())
    sex = _mapped(sex, lambda v: v or None, pa.string())
    # The birth digits a NIK of this birth date and sex has (day + 40 for women).
    day = pc.if_else(pc.equal(sex, "P"), pc.add(pc.day(born), 40), pc.day(born))
    two = [pc.utf8_lpad(pc.cast(v, pa.string()), 2, "0") for v in (day, pc.month(born))]
    year = pc.utf8_lpad(pc.cast(pc.year(born), pa.string()), 4, "0")
    expected = pc.binary_join_element_wise(*two, pc.utf8_slice_codeunits(year, 2, 4), "")
    fits = pc.equal(pc.utf8_slice_codeunits(nik, 6, 12), expected)
    fits = pc.if_else(pc.is_in(sex, pa.array(["L", "P"])), fits, pa.scalar(None, pa.bool_()))
    return {
        "unique_id": pa.array(uid, pa.int64()) if all(type(v) is int for v in uid)
        else pa.array([int(v) for v in uid], pa.int64()),
        "nik": nik,
        "nik12": pc.utf8_slice_codeunits(nik, 0, 12),
        "nik_rest": pc.binary_join_element_wise(pc.utf8_slice_codeunits(nik, 0, 6),
                                                pc.utf8_slice_codeunits(nik, 12, 16), ""),
        "nik_tail": pc.utf8_slice_codeunits(nik, 6, 16),
        "nik_ok": fits,
        "name": name,
        "first": pc.struct_field(parts, "first"),
        "last": pc.struct_field(parts, "last"),
        "initial": pc.struct_field(parts, "initial"),
        "sex": sex,
        "birth_date": born,
        "birth_year": pc.cast(pc.year(born), pa.int32()),
        "birth_month": pc.cast(pc.month(born), pa.int32()),
        "birth_day": pc.cast(pc.day(born), pa.int32()),
    }


def place_columns(kk: list, rw: list, rt: list, address: list) -> dict[str, Any]:
    """The prepared columns of where a record lives (KK number, RW, RT, street without house number)."""
    import pyarrow as pa

    return {
        "kk": _mapped(kk, _clean_nik, pa.string()),
        "rw": _mapped(rw, _number, pa.int32()),
        "rt": _mapped(rt, _number, pa.int32()),
        "street": _mapped(address, _street, pa.string()),
    }


def assemble(person: dict[str, Any], place: dict[str, Any], *, source: str | None = None):
    """The Arrow table of records from ``person_columns`` and ``place_columns`` of equal length."""
    import pyarrow as pa

    table = pa.table({**person, **place})
    if source is not None:
        table = table.append_column("source_dataset", pa.array([source] * table.num_rows, pa.string()))
    return table


def _comparisons() -> list[dict[str, Any]]:
    made = []
    for name, levels in COMPARISONS.items():
        out = []
        for key, condition in levels:
            level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": key}
            if key == "null":
                level["is_null_level"] = True
            if (name, key) in TF_LEVELS:
                level["tf_adjustment_column"] = TF_LEVELS[(name, key)]
                level["tf_adjustment_weight"] = 1.0
            out.append(level)
        made.append({"output_column_name": name, "comparison_levels": out})
    return made


def settings(link_type: str) -> dict[str, Any]:
    from splink import block_on

    return {
        "link_type": link_type,
        "comparisons": _comparisons(),
        "blocking_rules_to_generate_predictions": [
            block_on(*cols) for cols in (BLOCKING if link_type == "dedupe_only" else LINK_BLOCKING)],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }


def evidence_key(field_name: str, gamma: int | None) -> str:
    """The level key of a comparison's gamma value (-1 null; the highest value the first level)."""
    levels = [key for key, _ in COMPARISONS[field_name]][1:]
    if gamma is None or gamma < 0:
        return "null"
    return levels[len(levels) - 1 - int(gamma)]


@dataclass
class Pair:
    left: int
    right: int
    probability: float
    weight: float
    evidence: dict[str, str]


@dataclass
class Outcome:
    pairs: list[Pair]
    model: dict[str, Any]
    compared: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _quiet() -> None:
    # Splink warns about levels a training session did not see and about sample sizes: the run
    # handles both (``_floor_m``, ``_exact_u``), and a background task has nobody to read them.
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _connection(threads: int | None):
    import duckdb

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    return con


# A NIK region code or serial held by fewer than this share of the registry's NIKs (and at least
# NIK_RARE_MIN of them) is taken as probably mistyped: real kecamatan codes and serials are shared
# by many people (most residents of one kelurahan were first registered in its kecamatan, and most
# serials are 0001 to 0005), one digit typed wrong makes a code or serial almost nobody has.
# A region code one digit (or one swap) from a code held by NIK_NEIGHBOUR_RATIO times as many
# people is a typo of it too, however many share the typo: "3137..." for "3173..." is common.
NIK_RARE_SHARE = 0.0005
NIK_RARE_MIN = 2
NIK_NEIGHBOUR_RATIO = 100


def _load(con, name: str, table, *, known: str) -> None:
    """Table ``name`` in DuckDB from an Arrow table, ``nik_ok`` also requiring a known region and serial."""
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")
    total = con.execute(f"SELECT count(nik) FROM {known}").fetchall()[0][0]
    rare = max(NIK_RARE_MIN, math.ceil(total * NIK_RARE_SHARE))
    con.execute(f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH counted AS (SELECT substr(nik, 1, 6) AS k, count(*) AS n FROM {known}
                         WHERE nik IS NOT NULL GROUP BY 1),
             region AS (
                 SELECT c.k, c.n >= {rare} AND coalesce(max(o.n), 0) < c.n * {NIK_NEIGHBOUR_RATIO} AS ok
                 FROM counted c LEFT JOIN counted o ON o.k <> c.k AND damerau_levenshtein(o.k, c.k) = 1
                 GROUP BY c.k, c.n),
             serial AS (SELECT substr(nik, 13) AS k, count(*) AS n FROM {known}
                        WHERE nik IS NOT NULL GROUP BY 1)
        SELECT t.* REPLACE (
            t.nik_ok AND coalesce(region.ok, false) AND coalesce(serial.n, 0) >= {rare} AS nik_ok)
        FROM {name} t
        LEFT JOIN region ON region.k = substr(t.nik, 1, 6)
        LEFT JOIN serial ON serial.k = substr(t.nik, 13)
    """)


# Equality levels whose u is counted exactly instead of sampled: (comparison, level) -> column.
# Sampling sees an agreement as rare as a shared KK (2 in a million pairs) a handful of times, if
# at all; counting the values gives the chance exactly, for the price of a GROUP BY.
EXACT_U = {("nik", "exact"): "nik", ("birth_date", "exact"): "birth_date", ("sex", "exact"): "sex",
           ("household", "same_kk"): "kk"}


def _exact_u(con, linker, tables: tuple[str, ...]) -> None:
    """Set u of the ``EXACT_U`` levels: the chance that two random records (non-null) agree exactly."""
    found: dict[str, float] = {}
    for column in set(EXACT_U.values()):
        if len(tables) == 1:
            n, same = con.execute(f"""
                SELECT sum(c), sum(c * (c - 1)) FROM (SELECT count(*) AS c FROM {tables[0]}
                WHERE {column} IS NOT NULL GROUP BY {column})""").fetchall()[0]
            pairs = (n or 0) * ((n or 0) - 1)
        else:
            left, right = tables
            same, = con.execute(f"""
                SELECT sum(a.c * b.c) FROM (SELECT {column} AS v, count(*) AS c FROM {left} GROUP BY 1) a
                JOIN (SELECT {column} AS v, count(*) AS c FROM {right} GROUP BY 1) b
                ON a.v = b.v""").fetchall()[0]
            pairs = (con.execute(f"SELECT count({column}) FROM {left}").fetchall()[0][0]
                     * con.execute(f"SELECT count({column}) FROM {right}").fetchall()[0][0])
        if pairs:
            found[column] = max(float(same or 0) / pairs, 1e-12)
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            column = EXACT_U.get((comparison.output_column_name, level.label_for_charts))
            if column in found:
                level.u_probability = found[column]
                level._add_trained_u_probability(found[column], "counted exactly")


def _train(linker, *, deterministic: list, recall: float, progress: Progress, base: int,
           con=None, tables: tuple[str, ...] = ()) -> None:
    from splink import block_on
    from splink.internals.exceptions import EMTrainingException

    try:
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    except Exception:  # noqa: BLE001 - no deterministic match at all: keep Splink's default prior
        pass
    progress(base + 5, "u")
    # One chunk: every comparison counts its levels over all U_PAIRS sampled pairs in one query.
    # Splink's default (a 1% probe, then up to ten chunks until each level was seen 100 times)
    # runs eleven queries for every comparison with a level that rare (a NIK typo, a shared KK:
    # always, as they are meant to be rare), which took longer for the same pairs.
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=2026, num_chunks=1)
    if con is not None:
        _exact_u(con, linker, tables)
    progress(base + 15, "em")
    # Three EM sessions, each blocked on two fields that together almost only agree for the same
    # person (name and birth date; name and the NIK's region and birth digits; birth date and KK);
    # each estimates m for the comparisons it does not block on, so together they cover all of
    # them. Looser blocks (one field, or a region and birth date) are mostly different people, and
    # EM then learns "same household" or "same day of birth" instead of "same person". Name and KK
    # is not one of them: a father and son of one name share a KK, and EM then learned that a
    # birth date decades apart is common for one person.
    # (The NIK's first twelve digits are written as an expression of "nik" so that this session
    # does not train the NIK comparison on pairs whose NIKs can only differ in the serial.)
    sessions = (("name", "birth_date"), ("name", "substr(nik, 1, 12)"), ("birth_date", "kk"))
    for step, columns in enumerate(sessions):
        progress(base + 15 + step * 8, "em")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), fix_probability_two_random_records_match=True
            )
        except EMTrainingException:
            # A small registry may have no pair that agrees on both: the other sessions and
            # Splink's starting values stand in (a run of the demo or a test, not of real data).
            continue
    _floor_m(linker)


# EM sets m to zero for a level it never saw among matches (a different sex, a birth date years
# apart), and that level then vetoes any pair at once. Real lists have such errors now and then:
# no level is taken as impossible for the same person. Random sampling likewise never sees two
# random people with one NIK: u gets a small value instead of none.
M_FLOOR = 0.002
U_PAIRS = 1_000_000
U_FLOOR = 1 / U_PAIRS


def _floor_m(linker) -> None:
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m = level.m_probability
            if not level._has_estimated_m_values and level.label_for_charts != "exact":
                # No EM session saw this level among matches (a birth date years apart): Splink
                # would keep a made-up starting value (0.0125 and the like); it is as rare as
                # anything we allow. An exact agreement never seen (the registry's NIKs are unique)
                # keeps Splink's starting value: agreement is what the same person mostly shows.
                level.m_probability = M_FLOOR
            elif m is None or m < M_FLOOR:
                level.m_probability = M_FLOOR
            u = level.u_probability
            if not level._has_estimated_u_values or u is None or u < U_FLOOR:
                # Not seen once in the sampled random pairs: at most that rare.
                level.u_probability = U_FLOOR


def parameters(linker) -> dict[str, Any]:
    """The trained model: the prior and m and u per comparison level (what a run stores)."""
    return {
        "probability_two_random_records_match": linker._settings_obj._probability_two_random_records_match,
        "comparisons": {
            comparison.output_column_name: {
                level.label_for_charts: {"m": level.m_probability, "u": level.u_probability}
                for level in comparison.comparison_levels if not level.is_null_level
            }
            for comparison in linker._settings_obj.comparisons
        },
    }


def _with_parameters(spec: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Settings with a stored model's m and u filled in (no training needed)."""
    spec = {**spec, "probability_two_random_records_match": params["probability_two_random_records_match"]}
    comparisons = []
    for comparison in spec["comparisons"]:
        trained = params["comparisons"].get(comparison["output_column_name"], {})
        levels = []
        for level in comparison["comparison_levels"]:
            values = trained.get(level["label_for_charts"]) if not level.get("is_null_level") else None
            if values:
                level = {**level, "m_probability": values["m"], "u_probability": values["u"]}
            levels.append(level)
        comparisons.append({**comparison, "comparison_levels": levels})
    spec["comparisons"] = comparisons
    return spec


def _exclusive(con, table: str, review_min: float) -> str:
    """SQL of the predictions with each pair's probability capped by its records' rivals.

    One record is one person: if record A is record C with probability 0.999 and C and B are
    not the same person (no candidate pair), A is B with probability at most 0.001, however
    alike A and B look. Only a record's weaker pairs are capped (its best stands). That happens
    when a mistyped NIK lands one digit from the NIK of someone born on the same day in the
    same kecamatan (a sibling or a neighbour): the pair with that person keeps its evidence but
    goes to review instead of being linked. It is never pushed below ``review_min``: a person
    decides. Triplicates (A, B, C all linked to each other) keep their links.
    """
    return f"""
        WITH p AS (SELECT unique_id_l AS l, unique_id_r AS r, match_probability AS pr FROM {table}),
        e AS (SELECT l AS a, r AS b, pr FROM p UNION ALL SELECT r AS a, l AS b, pr FROM p),
        rival AS (
            SELECT e1.a, e1.b, max(e2.pr) AS best
            FROM e e1 JOIN e e2 ON e2.a = e1.a AND e2.b <> e1.b
            ANTI JOIN p ON p.l = least(e1.b, e2.b) AND p.r = greatest(e1.b, e2.b)
            GROUP BY e1.a, e1.b
        )
        SELECT t.* REPLACE (
            CASE WHEN greatest(coalesce(r1.best, 0), coalesce(r2.best, 0)) > t.match_probability
                 THEN least(t.match_probability,
                            greatest(1 - greatest(r1.best, r2.best), {float(review_min)}))
                 ELSE t.match_probability END AS match_probability)
        FROM {table} t
        LEFT JOIN rival r1 ON r1.a = t.unique_id_l AND r1.b = t.unique_id_r
        LEFT JOIN rival r2 ON r2.a = t.unique_id_r AND r2.b = t.unique_id_l
    """


def _collect(con, predictions, *, left_is_list: bool = False,
             exclusive: float | None = None) -> tuple[list[Pair], int]:
    table = predictions.physical_name
    present = {d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description}
    # Splink leaves out the gamma column of a comparison whose levels carry no weight at all
    # (an untrained model on a tiny registry): its evidence is then "null".
    fields = [f for f in COMPARISONS if f"gamma_{f}" in present]
    gamma_cols = "".join(f", gamma_{f}" for f in fields)
    source = f"({_exclusive(con, table, exclusive)})" if exclusive is not None else table
    query = f"SELECT unique_id_l, unique_id_r, match_probability, match_weight{gamma_cols} FROM {source}"
    if left_is_list:
        query += " ORDER BY unique_id_l, match_probability DESC"
    pairs = []
    for row in con.execute(query).fetchall():
        evidence = {f: "null" for f in COMPARISONS}
        evidence.update({f: evidence_key(f, row[4 + i]) for i, f in enumerate(fields)})
        prob = float(row[2])
        weight = float(row[3]) if row[3] is not None and math.isfinite(row[3]) else 0.0
        pairs.append(Pair(left=int(row[0]), right=int(row[1]), probability=prob, weight=weight, evidence=evidence))
    return pairs, len(pairs)


def dedupe(table, *, threads: int | None = None, progress: Progress | None = None,
           review_min: float = REVIEW_MIN) -> Outcome:
    """Pairs of records of ``table`` (from ``prepare``) that are probably one person."""
    import time

    from splink import DuckDBAPI, Linker, block_on

    _quiet()
    progress = progress or (lambda pct, what: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    con = _connection(threads)
    _load(con, "records", table, known="records")
    db_api = DuckDBAPI(connection=con)
    source = db_api.register("records")
    linker = Linker(source, settings("dedupe_only"), log_level=logging.WARNING)
    _train(linker, deterministic=[block_on("nik"), block_on("name", "birth_date")], recall=0.7,
           con=con, tables=("records",),
           progress=progress, base=10)
    timings["train_s"] = time.perf_counter() - started
    progress(45, "predict")
    predictions = linker.inference.predict(threshold_match_probability=review_min, warning_mode="never")
    timings["predict_s"] = time.perf_counter() - started - timings["train_s"]
    pairs, _ = _collect(con, predictions, exclusive=review_min)
    model = parameters(linker)
    con.close()
    progress(90, "done")
    return Outcome(pairs=pairs, model=model, timings=timings)


def link(list_table, registry_table, *, threads: int | None = None, progress: Progress | None = None,
         review_min: float = REVIEW_MIN, model: dict[str, Any] | None = None) -> Outcome:
    """Pairs (list row, registry record) that are probably one person; ``left`` is the list row."""
    import time

    from splink import DuckDBAPI, Linker, block_on

    _quiet()
    progress = progress or (lambda pct, what: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    con = _connection(threads)
    # The registry first: it tells which NIK regions and serials are real for both tables.
    for name, tbl in (("registry", registry_table), ("list_rows", list_table)):
        _load(con, name, tbl, known="registry")
    db_api = DuckDBAPI(connection=con)
    left = db_api.register("list_rows", dataset_display_name="list_rows")
    right = db_api.register("registry", dataset_display_name="registry")
    spec = settings("link_only")
    if model:
        # A registry run's trained parameters: reuse them, the list's errors are the same kinds.
        spec = _with_parameters(spec, model)
    linker = Linker([left, right], spec, log_level=logging.WARNING)
    deterministic = [block_on("nik"), block_on("name", "birth_date")]
    if not model:
        _train(linker, deterministic=deterministic, recall=0.8, con=con, tables=("list_rows", "registry"),
               progress=progress, base=10)
    else:
        # The registry run's prior is the chance that two residents are one person; here it is the
        # chance that a list row is a given resident, far higher: counted again from this list's
        # sure links (the same NIK, or the same name and birth date), m and u kept.
        try:
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
        except Exception:  # noqa: BLE001 - no sure link at all: keep the registry's prior
            pass
    timings["train_s"] = time.perf_counter() - started
    progress(45, "predict")
    predictions = linker.inference.predict(threshold_match_probability=review_min, warning_mode="never")
    timings["predict_s"] = time.perf_counter() - started - timings["train_s"]
    pairs, _ = _collect(con, predictions, left_is_list=True)
    model_out = parameters(linker)
    con.close()
    progress(90, "done")
    return Outcome(pairs=pairs, model=model_out, timings=timings)

"""The linkage engine on its own (no database): record preparation, NIK evidence, and deduplication quality."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bansos.linkage import engine


def _record(uid, nik, name, sex="L", born=dt.date(1980, 5, 17), kk="3173051204100001", rw=1, rt=2,
            address="Jl. Mangga No. 4"):
    return (uid, nik, name, sex, born, kk, rw, rt, address)


def _nik(region: str, born: dt.date, sex: str, serial: int) -> str:
    day = born.day + 40 if sex == "P" else born.day
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def test_prepare_canonicalises_and_splits_the_fields():
    table = engine.prepare([
        _record(1, "3173051705800001", "Moh. Djoko Santoso bin Slamet, S.Pd.", address="Jl. Duri Raya No. 12B"),
        (2, "3.17305E+15", "  st. aminah ", "P", "1975-02-03", "", "", None, ""),
    ]).to_pylist()
    first, second = table
    assert first["name"] == "MUHAMMAD JOKO SANTOSO"
    assert (first["first"], first["last"], first["initial"]) == ("MUHAMMAD", "SANTOSO", "M")
    assert (first["birth_year"], first["birth_month"], first["birth_day"]) == (1980, 5, 17)
    assert first["nik_rest"] == "3173050001" and first["nik12"] == "317305170580"
    assert first["nik_ok"] is True
    assert first["street"] == "JL DURI RAYA"
    # A NIK a spreadsheet wrote in scientific notation is no NIK; empty cells are missing values.
    assert second["nik"] is None and second["nik_ok"] is None
    assert second["name"] == "SITI AMINAH" and second["birth_date"] == dt.date(1975, 2, 3)
    assert second["kk"] is None and second["rw"] is None and second["street"] is None


def test_a_nik_fits_its_holder_only_with_the_holders_birth_date_and_sex():
    born = dt.date(1990, 6, 29)
    woman = _nik("317305", born, "P", 1)
    assert woman[6:8] == "69"
    rows = engine.prepare([
        _record(1, woman, "AMELIA", sex="P", born=born),
        _record(2, woman, "AMELIA", sex="L", born=born),
        _record(3, woman, "AMELIA", sex="P", born=dt.date(1990, 6, 28)),
    ]).to_pylist()
    assert [r["nik_ok"] for r in rows] == [True, False, False]


def test_levels_are_read_back_from_gamma_values():
    assert engine.evidence_key("nik", None) == "null"
    assert engine.evidence_key("nik", -1) == "null"
    assert engine.evidence_key("nik", len(engine.COMPARISONS["nik"]) - 2) == "exact"
    assert engine.evidence_key("nik", 0) == "else"
    assert engine.evidence_key("birth_date", 0) == "else"


def test_no_nik_level_reads_the_birth_date():
    # Splink does not train a comparison in an EM session blocked on a column the comparison
    # reads: the NIK comparison must not read the birth date (its typo test uses nik_ok).
    for _key, condition in engine.COMPARISONS["nik"]:
        assert "birth" not in condition


# --- deduplication on generated people -----------------------------------------------------------------


def _population(households: int, seed: int):
    """Generated residents with 5% corrupted duplicates (bench.linkage_data), and the true pairs."""
    from bansos.demo.generator import generate_households
    from bench.linkage_data import corrupt

    rows, uid = [], 0
    for item in generate_households(seed=seed, count=households):
        for m in item.members:
            uid += 1
            rows.append((uid, m["nik"], m["full_name"], m["sex"], m["birth_date"], item.household["kk_number"],
                         item.rw, item.rt, item.household["address"]))
    rng = random.Random(seed)
    niks = {r[1] for r in rows}
    truth = set()
    for original in rng.sample(rows, len(rows) // 20):
        pk, nik, name, sex, born, kk, rw, rt, address = original
        copy = corrupt({"nik": nik, "full_name": name, "sex": sex, "birth_date": born, "kk": kk, "rw": rw,
                        "rt": rt, "address": address}, rng, allow_missing_nik=False, nik_always=True)
        if copy["nik"] in niks or len(copy["nik"]) != 16:
            continue
        niks.add(copy["nik"])
        uid += 1
        rows.append((uid, copy["nik"], copy["full_name"], sex, copy["birth_date"], copy["kk"], copy["rw"],
                     copy["rt"], copy["address"]))
        truth.add((pk, uid))
    return rows, truth


@pytest.fixture(scope="module")
def deduplicated():
    rows, truth = _population(3000, seed=7)
    outcome = engine.dedupe(engine.prepare(rows), threads=2)
    return rows, truth, outcome


def _score(found, truth):
    hit = len(found & truth)
    precision, recall = hit / len(found), hit / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_it_finds_the_planted_duplicates_with_high_precision_and_recall(deduplicated):
    _rows, truth, outcome = deduplicated
    automatic = {(min(p.left, p.right), max(p.left, p.right)) for p in outcome.pairs
                 if p.probability >= engine.AUTO_LINK}
    every = {(min(p.left, p.right), max(p.left, p.right)) for p in outcome.pairs}
    precision, recall, f1 = _score(automatic, truth)
    # Measured 0.99+ on this data; the bound leaves room for Splink's sampling, not for a regression.
    assert precision >= 0.97 and recall >= 0.93 and f1 >= 0.95, (precision, recall, f1)
    assert _score(every, truth)[1] >= 0.97
    assert all(engine.REVIEW_MIN <= p.probability <= 1 for p in outcome.pairs)


def test_every_pair_carries_evidence_for_every_comparison(deduplicated):
    _rows, _truth, outcome = deduplicated
    levels = {name: {key for key, _ in levels} for name, levels in engine.COMPARISONS.items()}
    for pair in outcome.pairs[:500]:
        assert set(pair.evidence) == set(engine.COMPARISONS)
        assert all(pair.evidence[name] in levels[name] for name in pair.evidence)


def test_the_trained_model_is_stored_with_every_level(deduplicated):
    _rows, _truth, outcome = deduplicated
    model = outcome.model
    assert 0 < model["probability_two_random_records_match"] < 0.01
    for name, levels in engine.COMPARISONS.items():
        trained = model["comparisons"][name]
        assert set(trained) == {key for key, _ in levels if key != "null"}
        assert all(0 < v["m"] <= 1 and 0 < v["u"] <= 1 for v in trained.values())
    # What separates the same person from others: a mistyped NIK (one digit, and one NIK does not fit its
    # holder) is strong evidence, a birth date years apart is strong evidence against.
    nik, born = model["comparisons"]["nik"], model["comparisons"]["birth_date"]
    assert nik["typo"]["m"] / nik["typo"]["u"] > 1000
    assert born["else"]["m"] / born["else"]["u"] < 0.01


def test_a_stored_model_links_a_list_without_training(deduplicated):
    rows, _truth, outcome = deduplicated
    registry = engine.prepare(rows)
    person = rows[10]
    uid, nik, name, sex, born, kk, rw, rt, address = person
    listed = engine.prepare([(1, nik, f"Hj. {name.title()}", sex, born.isoformat(), "", "", "", ""),
                             (2, "", "Nama Yang Tidak Ada", "L", "1901-01-01", "", "", "", "")])
    linked = engine.link(listed, registry, threads=2, model=outcome.model)
    best = {}
    for pair in linked.pairs:
        best.setdefault(pair.left, pair)
    assert best[1].right == uid and best[1].probability >= engine.AUTO_LINK
    assert best[1].evidence["nik"] == "exact"
    assert 2 not in best


# --- the cases the model used to get wrong --------------------------------------------------------------


def _with_background(extra, households=600, seed=11):
    rows, _truth = _population(households, seed=seed)
    top = max(r[0] for r in rows)
    return rows + [(top + i + 1, *r[1:]) for i, r in enumerate(extra)], top


def _pair_of(outcome, a, b):
    lo, hi = min(a, b), max(a, b)
    return next((p for p in outcome.pairs if (p.left, p.right) == (lo, hi)), None)


def test_a_father_and_son_of_one_name_in_one_family_are_not_linked():
    father_born, son_born = dt.date(1978, 8, 19), dt.date(2010, 10, 11)
    kk = "3173050101150042"
    extra = [
        _record(0, _nik("317305", father_born, "L", 1), "PAULUS WIJAYAKUSUMA", born=father_born, kk=kk),
        _record(0, _nik("317305", son_born, "L", 2), "PAULUS WIJAYAKUSUMA", born=son_born, kk=kk),
    ]
    rows, top = _with_background(extra)
    outcome = engine.dedupe(engine.prepare(rows), threads=2)
    pair = _pair_of(outcome, top + 1, top + 2)
    assert pair is None or pair.probability < engine.AUTO_LINK


def test_a_mistyped_nik_links_to_its_person_not_to_the_neighbour_born_the_same_day():
    born = dt.date(1985, 3, 14)
    kk_a, kk_b = "3173050101150042", "3173050202160077"
    person = _nik("317305", born, "L", 1)
    neighbour = _nik("317305", born, "L", 2)
    mistyped = person[:-1] + "7"  # serial 0007: one digit from both 0001 and 0002
    extra = [
        _record(0, person, "BAGUS SETIAWAN", born=born, kk=kk_a),
        _record(0, neighbour, "BAGUS HIDAYAT", born=born, kk=kk_b, address="Gg. Sawo No. 9"),
        _record(0, mistyped, "Bagus Setiawan", born=born, kk="3173059999990001", rw=9, rt=9,
                address="Jl. Arjuna Utara No. 3"),
    ]
    rows, top = _with_background(extra)
    outcome = engine.dedupe(engine.prepare(rows), threads=2)
    right = _pair_of(outcome, top + 1, top + 3)
    wrong = _pair_of(outcome, top + 2, top + 3)
    assert right is not None and right.probability >= engine.AUTO_LINK
    assert right.evidence["nik"] == "typo"
    assert wrong is None or wrong.probability < engine.AUTO_LINK

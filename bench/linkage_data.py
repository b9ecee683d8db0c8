"""Duplicates corrupted the way real lists are, with a known truth (for ``linkage`` and ``agency_list``).

A duplicate is a copy of a generated person with one to three (60% one, about 30% two) of: a typo in the name, a name
variant (title, degree, Muhammad spelled another way, St./Abd. abbreviations, the old spelling,
"bin" and the father's name), a mistyped NIK (one digit, two digits swapped, or re-issued in
another region; missing on agency lists), day and month of birth swapped or a wrong birth date
within a year, the household moved (other KK, RT/RW and street), other case and spacing.
"""

from __future__ import annotations

import datetime as dt
import random
import string

TITLES_BEFORE = ("H. ", "Hj. ", "Dr. ", "Drs. ", "Ir. ", "Ny. ")
DEGREES_AFTER = (", S.Pd.", " S.E.", ", S.Kom", " S.H.", ", A.Md.Keb")
MUHAMMAD = ("MOH.", "MUH.", "MHD", "MOCHAMMAD", "MOHAMAD", "MUHAMAD", "M.")
OLD = (("U", "OE"), ("J", "DJ"), ("C", "TJ"), ("SY", "SJ"), ("KH", "CH"))
STREETS = ("Jl. Duri Raya", "Jl. Kepa Duri", "Jl. Mangga", "Gg. Masjid", "Gg. Sawo", "Jl. Arjuna Utara")


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) < 3:
        return name
    # Mostly not the first letter (people rarely mistype it), but sometimes: blocking may not rely on it.
    j = 0 if rng.random() < 0.1 else rng.randrange(1, len(w))
    kind = rng.random()
    if kind < 0.35:
        w = w[:j] + rng.choice(string.ascii_uppercase) + w[j + 1:]
    elif kind < 0.6:
        w = w[:j] + w[j + 1:]
    elif kind < 0.8:
        w = w[:j] + rng.choice("AIUEO") + w[j:]
    elif j < len(w) - 1:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    words[i] = w
    return " ".join(words)


def _variant(name: str, rng: random.Random, sex: str) -> str:
    words = name.split()
    kind = rng.random()
    if words[0] == "MUHAMMAD" and kind < 0.5:
        words[0] = rng.choice(MUHAMMAD)
    elif words[0] == "SITI" and kind < 0.5:
        words[0] = "St."
    elif words[0] == "ABDUL" and kind < 0.5:
        words[0] = "Abd."
    elif kind < 0.25:
        words.insert(0, rng.choice(TITLES_BEFORE[1:2] if sex == "P" else TITLES_BEFORE[:1] + TITLES_BEFORE[2:5]).strip())
    elif kind < 0.45:
        words[-1] += rng.choice(DEGREES_AFTER)
    elif kind < 0.65:
        words += ["BINTI" if sex == "P" else "BIN", rng.choice(("SLAMET", "ABDULLAH", "HASAN", "SANUSI"))]
    else:
        for new, old in OLD:
            hit = [k for k, w in enumerate(words) if new in w]
            if hit:
                k = rng.choice(hit)
                words[k] = words[k].replace(new, old, 1)
                break
    return " ".join(words)


def _nik(nik: str, rng: random.Random, *, allow_missing: bool) -> str:
    kind = rng.random()
    if allow_missing and kind < 0.3:
        return ""
    if kind < 0.6:
        i = rng.randrange(16)
        return nik[:i] + rng.choice([d for d in "0123456789" if d != nik[i]]) + nik[i + 1:]
    if kind < 0.85:
        for _ in range(10):
            i = rng.randrange(15)
            if nik[i] != nik[i + 1]:
                return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
    # re-issued elsewhere: another region code
    return rng.choice(("317101", "317402", "320104", "330201", "350701")) + nik[6:]


def _birth(born: dt.date, rng: random.Random) -> dt.date:
    if born.day <= 12 and born.day != born.month and rng.random() < 0.6:
        return born.replace(day=born.month, month=born.day)
    moved = born + dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 300))
    return moved


def corrupt(person: dict, rng: random.Random, *, allow_missing_nik: bool, nik_always: bool) -> dict:
    """A corrupted copy of ``person`` (keys nik, full_name, sex, birth_date, kk, rw, rt, address)."""
    out = dict(person)
    # One difference in 60% of duplicates, two in 30%, three in 10%. In the registry a duplicate
    # always has another NIK (the active NIK is unique): that counts as one of them.
    count = 1 + (rng.random() >= 0.6) + (rng.random() >= 0.75)
    if nik_always:
        kinds = ["nik", *rng.sample(["typo", "variant", "birth", "moved", "case"], count - 1)]
    else:
        kinds = rng.sample(["typo", "variant", "nik", "birth", "moved", "case"], count)
    if "variant" in kinds:
        out["full_name"] = _variant(out["full_name"], rng, out["sex"])
    if "typo" in kinds:
        out["full_name"] = _typo(out["full_name"], rng)
    if "case" in kinds:
        out["full_name"] = "  " + out["full_name"].title().replace(" ", "  ")
    if "nik" in kinds:
        out["nik"] = _nik(out["nik"], rng, allow_missing=allow_missing_nik)
    if "birth" in kinds:
        out["birth_date"] = _birth(out["birth_date"], rng)
    if "moved" in kinds:
        out["kk"] = out["kk"][:10] + f"{rng.randrange(10000):04d}"
        out["rw"] = rng.randint(1, 17)
        out["rt"] = rng.randint(1, 12)
        out["address"] = f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}"
    out["kinds"] = kinds
    return out

"""Indonesian name canonicalisation for record linkage.

``canonical_name`` maps the many ways one person's name is written on KKs, KTPs and agency
spreadsheets to one comparable form, so that "Moh. Djoko Santoso bin Slamet, S.Pd." and
"MUHAMMAD JOKO SANTOSO" compare as equal. It removes what is not the name (titles, degrees,
the father's name after bin/binti), spells the pre-1972 orthography in the modern one
(OE -> U, DJ -> J, TJ -> C, SJ -> SY, NJ -> NY, CH -> KH) and writes common abbreviations
and the variants of Muhammad out in one spelling.

It only *normalises*: how similar two canonical names are is the linkage model's business.
The result is upper-case ASCII with single spaces, and canonicalising it again changes nothing
(tested with hypothesis). Builds on ``bansos.registry.names.name_key`` (the search key), which
does the case, accent and punctuation part.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bansos.registry.names import name_key

# Titles written before a name: religious (H. / Hj. for those who made the hajj, KH, Ustadz),
# academic and professional (Dr., Drs., Dra., Ir., Prof.), forms of address (Ny., Tn., Sdr.),
# and "Alm."/"Almh." (the late). None of them is part of the name.
PREFIX_TITLES = frozenset({
    "H", "HJ", "HAJI", "HAJAH", "HJH", "KH", "KYAI", "UST", "USTADZ", "USTAD", "USTADZAH", "DR", "DRS", "DRA",
    "IR", "PROF", "NY", "NYONYA", "TN", "TUAN", "SDR", "SDRI", "SAUDARA", "SAUDARI", "ALM", "ALMH", "ALMARHUM",
    "ALMARHUMAH", "BPK", "BAPAK", "IBU", "DRG", "APT", "NS", "BD", "BIDAN",
})

# Academic degrees written after a name ("S.Pd.", "S.E.", "M.Si", "A.Md.Keb"), as their letters
# without dots. Those that are also plausible name parts ("SE", "SH", "MM", "ST") are dropped only
# when written with a dot or after a comma; the others wherever they end a name.
DEGREES = frozenset({
    "SPD", "SPDI", "SE", "SH", "SHI", "SKOM", "SSOS", "SAG", "SKM", "SIP", "SSI", "ST", "SS", "SPSI", "SKEP",
    "SFARM", "SKED", "SSY", "STP", "SP", "SPT", "SKG", "SAP", "SIKOM", "SH I", "SSN", "SKEB", "SGZ", "STR",
    "MM", "MPD", "MSI", "MH", "MT", "MKES", "MAG", "MBA", "MSC", "MKOM", "MAP", "MSOS", "MKM", "MHUM", "MPH",
    "BSC", "BA", "AMD", "AMDKEB", "AMDKEP", "AMK", "AMKEB", "AMKEP", "AMA", "AMAPD", "SPOG", "SPA", "SPPD",
    "SPB", "DRS", "PHD", "LLM", "MD", "MA",
})
_PLAIN_DEGREES = frozenset({
    "SPD", "SPDI", "SKOM", "SSOS", "SAG", "SKM", "SPSI", "SKEP", "SFARM", "SKED", "MPD", "MSI", "MKES", "MKOM",
    "AMD", "AMDKEB", "AMDKEP", "AMKEB", "AMKEP", "SPOG", "PHD",
})

# Every way of writing Muhammad seen on Indonesian documents, and other names with a standard
# form. Keys are tokens after the spelling step (so "MOCHAMMAD" arrives as "MOKHAMMAD").
VARIANTS = {
    **dict.fromkeys((
        "MUHAMMAD", "MUHAMAD", "MUHAMMED", "MUHAMED", "MUHAMMADD", "MOHAMMAD", "MOHAMAD", "MOHAMMED", "MOHAMED",
        "MOKHAMMAD", "MOKHAMAD", "MUKHAMMAD", "MUKHAMAD", "MOHD", "MOH", "MUH", "MHD", "MHMD", "MUHD", "MOCH",
        "MOKH", "MUKH", "MUCH", "MAMAD", "MOHAMMAT", "MUHAMMAT",
    ), "MUHAMMAD"),
    **dict.fromkeys(("AHMAD", "AKHMAD", "AHMED", "ACHMED", "AHMAT", "AKHMAT"), "AHMAD"),
    **dict.fromkeys(("ABD", "ABDL", "ABDUL", "ABDOEL", "ABDUH"), "ABDUL"),
    **dict.fromkeys(("SITI", "SITTI"), "SITI"),
    **dict.fromkeys(("NUR", "NOER", "NOOR", "NURR"), "NUR"),
}
# Abbreviations that stand for a name only at the start ("St. Aminah", "M. Yusuf"): elsewhere
# ST is a degree and M an initial.
LEADING_ABBREVIATIONS = {"ST": "SITI", "M": "MUHAMMAD"}

# "bin" (son of) and "binti" (daughter of) introduce the father's name, which is not the person's.
PATRONYMIC = frozenset({"BIN", "BINTI", "BT", "BINTE"})

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[A-Z0-9]+\.?|[.]")
_OLD_MARKERS = ("OE", "DJ", "TJ", "SJ")


def modern_spelling(token: str) -> str:
    """A token in today's spelling (EYD): OE->U, DJ->J, TJ->C, SJ->SY, NJ->NY (start), CH->KH.

    In the pre-1972 spelling J was written for today's Y ("TJAHJONO" is "CAHYONO"): that J
    changes only in a token that shows the old spelling elsewhere, because J is common in
    modern names. NJ becomes NY only at the start of a token (NJOMAN): inside a word it is
    usually N + J (ANJAR, PANJI). CH before R stays (CHRISTINA).
    """
    old = any(marker in token for marker in _OLD_MARKERS) or token.startswith("NJ")
    if not old and "CH" not in token:
        return token
    if token.startswith("NJ"):
        token = "NY" + token[2:]
    token = token.replace("DJ", "\x01").replace("TJ", "C").replace("SJ", "SY").replace("OE", "U")
    if old:
        token = token.replace("J", "Y")
    token = token.replace("\x01", "J")
    return re.sub(r"CH(?!R)", "KH", token)


def _strip_degrees(main: str) -> str:
    """The name without the degrees written after it (dotted, or known not to be name parts)."""
    tokens = main.split()
    while len(tokens) > 1:
        for width in (3, 2, 1):
            if width >= len(tokens):
                continue
            tail = tokens[-width:]
            letters = "".join(t.replace(".", "") for t in tail)
            dotted = any("." in t for t in tail)
            if letters in DEGREES and (dotted or letters in _PLAIN_DEGREES):
                del tokens[-width:]
                break
        else:
            break
    return " ".join(tokens)


def _canonical_once(value: str) -> str:
    text = str(value or "").upper()
    # Everything after the first comma is degrees or a note ("AHMAD, S.PD.", "SITI, ALM").
    main = text.split(",", 1)[0]
    main = _strip_degrees(_SPACES.sub(" ", main.replace(". ", ". ").replace(".", ". ")).strip())
    tokens = name_key(main).split()
    if not tokens:
        return ""
    tokens = [modern_spelling(t) for t in tokens]
    # Titles in front ("HJ. DR. SITI ..."); a name that is nothing but titles keeps its last word.
    while len(tokens) > 1 and tokens[0] in PREFIX_TITLES:
        tokens.pop(0)
    if tokens[0] in LEADING_ABBREVIATIONS and len(tokens) > 1:
        tokens[0] = LEADING_ABBREVIATIONS[tokens[0]]
    for index, token in enumerate(tokens):
        if index > 0 and token in PATRONYMIC:
            del tokens[index:]
            break
    return " ".join(VARIANTS.get(t, t) for t in tokens)


# Tokens that make a rule above apply: a title or abbreviation (first word), a patronymic, a
# variant spelled otherwise. A name of plain words with none of them is canonical as it stands.
_RULE_TOKENS = frozenset(PREFIX_TITLES | PATRONYMIC | set(LEADING_ABBREVIATIONS)
                         | {k for k, v in VARIANTS.items() if k != v})
_OLD_SPELLING = ("OE", "DJ", "TJ", "SJ", "CH")


def is_canonical(value: str) -> bool:
    """Whether ``value`` is already canonical as far as a quick look can tell (most registry names:
    upper-case letters and single spaces, no title, degree, patronymic, variant or old spelling).

    ``False`` only means "not sure": ``canonical_name`` then applies the rules. A test checks that
    whenever this says ``True`` the rules give the name back unchanged.
    """
    if not value or not value.isascii() or not value.isupper() or not value.replace(" ", "").isalpha():
        return False
    tokens = value.split(" ")
    if "" in tokens or not _RULE_TOKENS.isdisjoint(tokens):
        return False  # leading, trailing or double spaces; or a token some rule rewrites
    if any(marker in value for marker in _OLD_SPELLING) or any(t.startswith("NJ") for t in tokens):
        return False
    # Degrees written without dots at the end ("AHMAD SPD", "SITI S PD")
    return all("".join(tokens[-width:]) not in _PLAIN_DEGREES for width in (1, 2, 3))


def canonical_name(value: str) -> str:
    """The canonical form of a person's name (see the module docstring); "" when there is no name."""
    if is_canonical(value):
        return value  # a registry of a million mostly distinct names: most take this path
    return _canonical(value)


@lru_cache(maxsize=500_000)
def _canonical(value: str) -> str:
    # Removing a title can expose another rule (a name that started "H. ST. AMINAH"): repeat until
    # nothing changes so the result is a fixed point. Two passes are the most real names need.
    current = _canonical_once(value)
    for _ in range(4):
        following = _canonical_once(current)
        if following == current:
            break
        current = following
    return current


def name_parts(canonical: str) -> tuple[str, str]:
    """(first, last) word of a canonical name; a single name is both."""
    words = canonical.split()
    if not words:
        return "", ""
    return words[0], words[-1]

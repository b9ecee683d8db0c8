"""Indonesian by default, English when the user chooses it: the switch, the catalog, the pages."""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from bansos.core.formats import tanggal

CATALOG_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _po_entries(path: Path) -> list[dict]:
    """Read a .po file into entries (flags, msgid, msgid_plural, msgstr by index); stdlib only."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current = None
            continue
        if current is None:
            current = {"flags": set(), "msgid": None, "msgid_plural": None, "msgctxt": None, "msgstr": {},
                       "obsolete": False}
        if line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key[0] == "msgstr":
                current["msgstr"][key[1]] += text
            else:
                current[key[0]] += text
        else:
            keyword, _, literal = line.partition(" ")
            text = ast.literal_eval(literal)
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                key = ("msgstr", int(match.group(1) or 0))
                current["msgstr"][key[1]] = text
            else:
                key = (keyword, None)
                current[keyword] = text
    return [e for e in entries if e["msgid"] != "" and not e["obsolete"]]


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    return _po_entries(CATALOG_DIR / "django.po")


def test_it_speaks_indonesian_to_an_english_browser(client, db):
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Nama pengguna" in response.content.decode()


def test_it_switches_to_english_when_the_user_chooses_it(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/akun/masuk/")
    assert page["Content-Language"] == "en"
    assert "Username" in page.content.decode()


def test_it_has_a_translation_for_every_message_and_no_fuzzy_one(catalog):
    assert len(catalog) > 600
    untranslated = [e["msgid"] for e in catalog if not e["msgstr"] or not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in catalog if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_it_keeps_every_placeholder_and_both_plural_forms(catalog):
    wrong = []
    for e in catalog:
        if e["msgid_plural"] is not None:
            if sorted(e["msgstr"]) != [0, 1]:
                wrong.append(e["msgid"])
                continue
            pairs = [(e["msgid"], e["msgstr"][0]), (e["msgid_plural"], e["msgstr"][1])]
        else:
            pairs = [(e["msgid"], e["msgstr"][0])]
        for source, translated in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append(source)
    assert wrong == []


def test_the_compiled_catalog_matches_the_po_file(catalog):
    """Catches a .po edited without running compilemessages: Django only reads the .mo."""
    with open(CATALOG_DIR / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in catalog:
        if e["msgctxt"] is not None:
            continue
        if e["msgid_plural"] is not None:
            got = (compiled.ngettext(e["msgid"], e["msgid_plural"], 1),
                   compiled.ngettext(e["msgid"], e["msgid_plural"], 2))
            if got != (e["msgstr"][0], e["msgstr"][1]):
                stale.append(e["msgid"])
        elif compiled.gettext(e["msgid"]) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == []


def test_makemessages_extracts_the_eager_gettext_alias():
    from bansos.core.management.commands.makemessages import Command

    assert "--keyword=_t" in Command.xgettext_options


def test_it_shows_dates_with_english_month_names_in_english():
    with translation.override("en"):
        assert tanggal(dt.date(2025, 8, 17)) == "17 August 2025"
    with translation.override("id"):
        assert tanggal(dt.date(2025, 8, 17)) == "17 Agustus 2025"


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("path", "english", "indonesian"),
    [
        ("/", ["Home", "Welcome, Admin", "active households", "Household registry", "Sign out"],
         ["Beranda", "Selamat datang", "Keluar"]),
        ("/registri/", ["3 households found", "Head of household", "Add household", "All RWs"],
         ["keluarga ditemukan", "Kepala keluarga", "Tambah keluarga"]),
        ("/registri/keluarga/baru/", ["Full name", "Date of birth", "Register household", "Housing conditions"],
         ["Nama lengkap", "Daftarkan keluarga"]),
        ("/akun/pengguna/", ["11 users", "Add user", "Kelurahan admin", "Program officer"],
         ["Tambah pengguna", "Petugas program"]),
        ("/akun/pengguna/baru/", ["Role and area of assignment", "Initial password", "Create user"],
         ["Kata sandi awal", "Buat pengguna"]),
        ("/wilayah/", ["RWs and RTs", "Add RW", "Add posyandu", "2 households"], ["Tambah RW", "Belum ada"]),
        ("/audit/", ["Audit trail", "13 events", "Clear filters", "From date"], ["Jejak audit", "kejadian"]),
        ("/registri/impor/", ["Household data imports", "Upload a file", "CSV template"], ["Unggah berkas"]),
        ("/registri/impor/baru/", ["Upload household data", "Dry run only", "Upload and process"],
         ["Unggah dan proses"]),
        ("/akun/token/", ["API tokens", "Create token", "No API tokens yet."], ["Buat token", "Belum ada token"]),
        ("/akun/lembaga/", ["Partner agencies", "Add agency", "Government office"], ["Tambah lembaga"]),
    ],
)
def test_it_renders_staff_pages_in_english(cast, client_for, path, english, indonesian):
    response = _english(client_for(cast["admin"])).get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert [word for word in english if word not in body] == []
    assert [word for word in indonesian if word in body] == []


def test_it_renders_the_household_page_in_english_with_english_dates(cast, client_for):
    household = cast["households"]["rw1"]
    body = _english(client_for(cast["admin"])).get(f"/registri/keluarga/{household.pk}/").content.decode()
    for word in ("Household members", "Edit household details", "Change history", "Household registered",
                 "Socio-economic conditions", "not yet recorded", "17 August 1978", "Spouse"):
        assert word in body, word
    assert re.search(r"<td data-label=\"Age\">\d+ yrs</td>", body), "age in years"
    for word in ("Anggota keluarga", "belum didata", "Agustus", "Riwayat perubahan"):
        assert word not in body, word


def test_it_shows_field_errors_in_english(cast, client_for):
    from bansos.core.models import RW

    before = RW.objects.count()
    response = _english(client_for(cast["admin"])).post("/wilayah/rw/baru/", {"number": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert RW.objects.count() == before


def test_the_english_choice_survives_signing_in(client, cast):
    from tests.conftest import PASSWORD

    _english(client)
    response = client.post("/akun/masuk/", {"username": "surveyor", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Welcome, Surveyor" in body
    assert "Open the household registry" in body

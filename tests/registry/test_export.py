import csv
import datetime as dt
import io

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.core.models import AuditEvent
from bansos.registry.columns import HEADERS
from bansos.registry.exporting import neutralise
from bansos.registry.importing import import_file
from bansos.registry.models import Household, Resident
from bansos.registry.services import household_update
from tests.factories import make_household


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_it_exports_one_row_per_active_resident_head_first_and_audits_it(cast, client_for):
    client = client_for(cast["admin"])
    before = AuditEvent.objects.count()
    rows = _csv(client.get(reverse("registry:export"), {"format": "csv", "rw": "1"}))
    households = Household.objects.filter(rt__rw__number=1).order_by("kk_number")
    assert len(rows) == Resident.objects.filter(household__in=households, status="active").count() == 6
    assert list(rows[0]) == list(HEADERS)
    first = households[0]
    assert rows[0]["no_kk"] == first.kk_number
    assert rows[0]["hubungan"] == "Kepala keluarga"
    assert rows[0]["tanggal_lahir"] == first.head.birth_date.strftime("%d-%m-%Y")
    event = AuditEvent.objects.order_by("id")[before:].get()
    assert (event.action, event.actor, event.changes["rows"], event.changes["format"]) == (
        "registry.export", cast["admin"], 6, "csv")
    assert event.changes["filters"]["rw"] == 1


def test_it_refuses_export_to_a_surveyor_and_records_nothing(cast, client_for):
    events = AuditEvent.objects.count()
    response = client_for(cast["surveyor"]).get(reverse("registry:export"), {"format": "csv"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == events


def test_it_neutralises_text_that_a_spreadsheet_would_run_as_a_formula(cast, client_for):
    household = cast["households"]["rw1"]
    household_update(actor=cast["admin"], household=household, data={"address": "=HYPERLINK(\"http://x\")"},
                     reason="uji")
    rows = _csv(client_for(cast["admin"]).get(reverse("registry:export"), {"q": household.kk_number}))
    assert {r["alamat"] for r in rows} == {"'=HYPERLINK(\"http://x\")"}
    assert [neutralise(v) for v in ("+62", "-5", "@a", "\tx", "ok", 5)] == ["'+62", "'-5", "'@a", "'\tx", "ok", 5]


def test_an_export_imports_again_without_changes(cast, client_for, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"".join(client_for(cast["admin"]).get(reverse("registry:export")).streaming_content))
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.rows, summary.updated, summary.unchanged, summary.rejected) == (10, 10, 10, 0)


def test_an_xlsx_export_imports_again_without_changes(cast, client_for, tmp_path):
    response = client_for(cast["admin"]).get(reverse("registry:export"), {"format": "xlsx"})
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.rows, summary.updated, summary.unchanged, summary.rejected) == (10, 10, 10, 0)


_names = st.from_regex(r"[A-Z][A-Z]{2,10} [A-Z]{3,10}", fullmatch=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names, income=st.integers(0, 10**9), floor=st.integers(1, 5000), decile=st.integers(1, 10),
       address=st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1,
                       max_size=60).filter(lambda s: s.strip()),
       electricity=st.sampled_from([0, 450, 900, 1300, 2200, 3500]), motor=st.booleans())
def test_any_valid_household_round_trips_export_to_import_unchanged(cast, tmp_path, name, income, floor, decile,
                                                                     address, electricity, motor):
    from bansos.registry.exporting import csv_lines, export_rows
    from bansos.registry.selectors import HouseholdFilters

    household = make_household(actor=cast["admin"], rt=cast["households"]["rw1"].rt, head_name=name,
                               address=" ".join(address.split()), monthly_income=income, floor_area_m2=floor,
                               dtsen_decile=decile, electricity_va=electricity, asset_motorbike=motor)
    path = tmp_path / "rt.csv"
    path.write_text("".join(csv_lines(export_rows(user=cast["admin"],
                                                  filters=HouseholdFilters(q=household.kk_number)))),
                    encoding="utf-8")
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.rows, summary.unchanged, summary.rejected) == (4, 4, 0)
    assert summary.rows == summary.stored + summary.updated + summary.rejected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=20), max_size=12),
                max_size=8))
def test_random_junk_rows_never_crash_and_every_row_is_accounted_for(cast, tmp_path, junk):
    path = tmp_path / "junk.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[:12] + ("rt", "rw", "alamat"))
        for row in junk:
            writer.writerow(row)
    summary = import_file(path=path, actor=cast["admin"])
    assert summary.rows == summary.stored + summary.updated + summary.rejected
    assert summary.rows + summary.skipped_blank == len(junk)
    assert summary.stored == 0


def test_the_cli_exports_and_imports(cast, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "cli.csv"
    call_command("export_households", "--format", "csv", "--output", str(out), "--rw", "2", stdout=io.StringIO())
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 4
    assert AuditEvent.objects.latest("id").action == "registry.export"
    stdout = io.StringIO()
    call_command("import_households", str(out), "--dry-run", stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue().startswith("UJI COBA, tidak ada yang disimpan: 4 baris: 0 disimpan, 4 diperbarui")


def test_the_cli_exits_with_2_when_the_file_cannot_be_read(cast, tmp_path):
    import pytest

    path = tmp_path / "bad.csv"
    path.write_bytes(b"<html></html>\n")
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import call_command

        call_command("import_households", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 2
    _ = dt

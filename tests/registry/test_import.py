import datetime as dt

import pytest

from bansos.core.errors import PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.registry.importing import ImportFileError, import_file
from bansos.registry.importing import engine
from bansos.registry.models import Household, Resident
from tests.factories import kk_number, nik_for
from tests.registry.importhelpers import family, member, report_rows, write_csv


def _state():
    return (Household.objects.count(), Resident.objects.count(), AuditEvent.objects.count())


def test_it_stores_a_new_household_with_its_members(cast, tmp_path):
    rows = family(penghasilan="Rp 1.500.000", daya_listrik="900 VA", aset_motor="Ya")
    path = write_csv(tmp_path / "a.csv", rows)
    before = AuditEvent.objects.count()
    summary = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "r.csv")
    assert (summary.rows, summary.stored, summary.updated, summary.rejected) == (3, 3, 0, 0)
    household = Household.objects.get(kk_number=rows[0]["no_kk"])
    assert household.rt == cast["households"]["rw1"].rt
    assert household.electricity_va == 900
    assert household.asset_motorbike is True
    assert sorted(household.residents.values_list("relation", flat=True)) == ["child", "head", "spouse"]
    head = household.residents.get(relation="head")
    assert (head.full_name, head.name_key, head.monthly_income) == ("AHMAD FAUZI", "AHMAD FAUZI", 1_500_000)
    events = AuditEvent.objects.order_by("id")[before:]
    assert [e.action for e in events] == ["household.import_create", "registry.import"]
    assert events[0].household_id == household.pk
    assert events[0].actor == cast["admin"]
    assert [r["status"] for r in report_rows(tmp_path / "r.csv")] == ["stored"] * 3


def test_it_changes_nothing_when_the_same_file_is_imported_again(cast, tmp_path):
    path = write_csv(tmp_path / "a.csv", family() + family(rt=1, rw=2))
    import_file(path=path, actor=cast["admin"])
    households, residents, events = _state()
    summary = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "r.csv")
    assert (summary.rows, summary.stored, summary.updated, summary.unchanged, summary.rejected) == (6, 0, 6, 6, 0)
    assert _state() == (households, residents, events + 1)
    assert AuditEvent.objects.latest("id").action == "registry.import"
    assert {r["alasan"] for r in report_rows(tmp_path / "r.csv")} == {"tidak ada perubahan"}


def test_it_updates_an_existing_household_with_the_files_non_empty_values(cast, tmp_path):
    household = cast["households"]["rw1"]
    head = household.residents.get(relation="head")
    row = member(household.kk_number, head.full_name, "L", head.birth_date, "Kepala Keluarga",
                 pekerjaan="Ojek daring", nik=head.nik, alamat="Jl. Baru No. 1")
    summary = import_file(path=write_csv(tmp_path / "a.csv", [row]), actor=cast["admin"])
    assert (summary.updated, summary.unchanged, summary.households_updated) == (1, 0, 1)
    head.refresh_from_db()
    household.refresh_from_db()
    assert head.occupation == "Ojek daring"
    assert household.address == "Jl. Baru No. 1"
    assert household.monthly_income == 2_500_000  # empty in the file: kept
    event = AuditEvent.objects.filter(action="household.import_update").get()
    assert event.changes["address"] == ["Jl. Duri Raya No. 12", "Jl. Baru No. 1"]
    assert event.changes[f"{head.nik}.occupation"] == ["Pedagang", "Ojek daring"]


def test_a_dry_run_reports_what_the_real_run_does_and_writes_nothing(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    kk = kk_number()
    rows = family(kk)[:2] + family() + family(kk)[2:] + [family(rt=9)[0]]
    rows[-2]["nik"] = rows[0]["nik"]  # a duplicate NIK in a later chunk
    path = write_csv(tmp_path / "a.csv", rows)
    before = _state()
    dry = import_file(path=path, actor=cast["admin"], dry_run=True, report_path=tmp_path / "dry.csv")
    assert _state() == before
    real = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "real.csv")
    assert (dry.rows, dry.stored, dry.updated, dry.rejected) == (real.rows, real.stored, real.updated, real.rejected)
    assert report_rows(tmp_path / "dry.csv") == report_rows(tmp_path / "real.csv")
    assert (real.rows, real.stored, real.rejected) == (7, 5, 2)


def test_it_rejects_a_new_household_without_exactly_one_head(cast, tmp_path):
    rows = family()
    rows[1]["hubungan"] = "Kepala Keluarga"
    rows[1]["jenis_kelamin"] = "P"
    before = _state()
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert (summary.rows, summary.rejected) == (3, 3)
    assert _state()[:2] == before[:2]
    assert {r["alasan"] for r in report_rows(tmp_path / "r.csv")} == {
        "Keluarga baru harus memiliki tepat satu kepala keluarga yang sah (ditemukan 2)."
    }


def test_it_rejects_an_unknown_rt_naming_it(cast, tmp_path):
    rows = family(rt=7, rw=3)
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert summary.rejected == 3
    assert report_rows(tmp_path / "r.csv")[0]["alasan"] == "rt/rw: RT 7/RW 3 tidak ada di kelurahan ini."


def test_it_rejects_a_nik_registered_in_another_household_naming_its_kk(cast, tmp_path):
    other = cast["households"]["rw2"]
    taken = other.residents.get(relation="spouse")
    rows = family()
    rows[1].update(nik=taken.nik, tanggal_lahir=taken.birth_date.strftime("%d-%m-%Y"))
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert (summary.stored, summary.rejected) == (2, 1)
    assert report_rows(tmp_path / "r.csv")[1]["alasan"] == (
        f"NIK ini sudah terdaftar pada keluarga lain (KK {other.kk_number})."
    )


def test_it_rejects_the_later_of_two_rows_with_the_same_nik(cast, tmp_path):
    rows = family()
    rows[2]["nik"] = rows[1]["nik"]
    rows[2].update(jenis_kelamin="P", tanggal_lahir=rows[1]["tanggal_lahir"])
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert (summary.stored, summary.rejected) == (2, 1)
    assert report_rows(tmp_path / "r.csv")[2]["alasan"] == "NIK ini sudah ada di baris 3 berkas ini."


def test_it_rejects_a_nik_that_a_spreadsheet_turned_into_a_float(cast, tmp_path):
    rows = family()
    rows[2]["nik"] = "3.17305E+15"
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert (summary.stored, summary.rejected) == (2, 1)
    assert report_rows(tmp_path / "r.csv")[2]["alasan"].startswith(
        "nik: NIK tertulis sebagai angka ilmiah (3.17305E+15)"
    )


def test_it_reads_semicolons_bom_windows_1252_and_messy_cells(cast, tmp_path):
    kk = kk_number()
    head_birth = dt.date(1969, 2, 1)
    rows = [
        member(kk, "  jose   ramos ", "l", head_birth, "kepala keluarga", rw=" 001 ", alamat="Jl. Café – No. 7"),
        member(kk, "Siti Nurhaliza", "Perempuan", dt.date(1972, 3, 3), "ISTRI", alamat="Jl. Café – No. 7"),
    ]
    rows[0]["nik"] = "'" + rows[0]["nik"]
    rows[1]["tanggal_lahir"] = "03/03/1972"
    rows[1]["nik"] = nik_for(dt.date(1972, 3, 3), "P")
    headers = ["No. KK", "NIK", "Nama", "JK", "Tgl Lahir", "SHDK", "RT", "RW", "Alamat", "Catatan"]
    keys = ["no_kk", "nik", "nama_lengkap", "jenis_kelamin", "tanggal_lahir", "hubungan", "rt", "rw", "alamat",
            "x"]
    path = tmp_path / "a.csv"
    with open(path, "w", encoding="cp1252", newline="") as handle:
        handle.write(";".join(headers) + "\r\n\r\n")
        for row in rows:
            handle.write(";".join(row.get(k, "catatan") for k in keys) + "\r\n")
        handle.write(";;;;\r\n")
    summary = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "r.csv")
    assert (summary.rows, summary.stored, summary.rejected, summary.skipped_blank) == (2, 2, 0, 2)
    assert summary.ignored_columns == ["Catatan"]
    names = set(Resident.objects.filter(household__kk_number=kk).values_list("full_name", flat=True))
    assert names == {"JOSE RAMOS", "SITI NURHALIZA"}
    assert Household.objects.get(kk_number=kk).address == "Jl. Café – No. 7"


def test_it_fails_the_whole_file_when_a_required_column_is_missing(cast, tmp_path):
    headers = ["no_kk", "nik", "nama_lengkap", "jenis_kelamin", "tanggal_lahir", "hubungan", "rt", "rw"]
    path = write_csv(tmp_path / "a.csv", family(), headers=headers)
    before = _state()
    with pytest.raises(ImportFileError) as error:
        import_file(path=path, actor=cast["admin"])
    assert error.value.text == "Kolom wajib tidak ada: alamat. Tidak ada baris yang diproses."
    assert _state() == before


def test_it_refuses_a_surveyor_and_changes_nothing(cast, tmp_path):
    path = write_csv(tmp_path / "a.csv", family())
    before = _state()
    with pytest.raises(PermissionDeniedError):
        import_file(path=path, actor=cast["surveyor"])
    assert _state() == before


def test_the_system_may_import_without_a_user(cast, tmp_path):
    summary = import_file(path=write_csv(tmp_path / "a.csv", family()), actor=None)
    assert summary.stored == 3
    assert AuditEvent.objects.latest("id").actor_name == ""


def test_it_completes_an_interrupted_import_when_run_again(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)
    rows = family() + family() + family()
    path = write_csv(tmp_path / "a.csv", rows)
    calls = {"n": 0}
    original = engine._Importer._apply

    def crash_on_second(self, plan):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, plan)

    monkeypatch.setattr(engine._Importer, "_apply", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        import_file(path=path, actor=cast["admin"])
    assert Resident.objects.filter(nik__in=[r["nik"] for r in rows]).count() == 3
    monkeypatch.setattr(engine._Importer, "_apply", original)
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.stored, summary.updated, summary.unchanged, summary.rejected) == (6, 3, 3, 0)
    assert Resident.objects.filter(nik__in=[r["nik"] for r in rows]).count() == 9


def test_it_adds_later_rows_of_a_kk_to_the_household_stored_from_an_earlier_chunk(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    first = family()
    rows = first[:2] + family() + first[2:]
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"])
    assert (summary.stored, summary.rejected) == (6, 0)
    assert Household.objects.get(kk_number=first[0]["no_kk"]).residents.count() == 3


def test_it_imports_a_small_xlsx_file_with_real_date_and_number_cells(cast, tmp_path):
    from openpyxl import Workbook

    kk = kk_number()
    birth = dt.date(1981, 6, 2)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["no_kk", "nik", "nama_lengkap", "jenis_kelamin", "tanggal_lahir", "hubungan", "rt", "rw",
                  "alamat", "penghasilan"])
    sheet.append([int(kk), float(nik_for(birth, "P")), "Maria Ulfa", "P", dt.datetime(1981, 6, 2), "Kepala Keluarga",
                  1, 2, "Gg. Haji No. 3", 1750000.0])
    workbook.save(tmp_path / "a.xlsx")
    summary = import_file(path=tmp_path / "a.xlsx", actor=cast["admin"])
    assert (summary.rows, summary.stored) == (1, 1)
    resident = Resident.objects.get(household__kk_number=kk)
    assert (resident.birth_date, resident.monthly_income, resident.household.rt.rw.number) == (birth, 1_750_000, 2)


def test_it_retries_household_by_household_when_a_nik_is_taken_between_look_up_and_write(cast, tmp_path,
                                                                                         monkeypatch):
    first, second = family(), family()
    path = write_csv(tmp_path / "a.csv", first + second)
    other = cast["households"]["rw2"]
    taken = first[2]
    original = engine._Importer._plan
    calls = {"n": 0}

    def plan_then_someone_else_writes(self, groups):
        # Another writer stores the NIK after our look-up, for the whole chunk and again for the
        # retry of the first household (each time rolled back with our failed write).
        plan = original(self, groups)
        calls["n"] += 1
        if calls["n"] in (1, 2):
            Resident.objects.create(
                household=other, nik=taken["nik"], full_name="RIZKI LAIN", name_key="RIZKI LAIN", sex="L",
                birth_date=dt.date(2008, 1, 5), relation="child",
            )
        return plan

    monkeypatch.setattr(engine._Importer, "_plan", plan_then_someone_else_writes)
    before = AuditEvent.objects.count()
    summary = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "r.csv")
    assert calls["n"] == 3
    assert (summary.rows, summary.stored, summary.rejected, summary.households_created) == (6, 3, 3, 1)
    assert [r["alasan"] for r in report_rows(tmp_path / "r.csv")][:3] == [
        "Bentrok dengan perubahan lain pada saat yang sama; impor ulang berkas ini."
    ] * 3
    assert not Household.objects.filter(kk_number=first[0]["no_kk"]).exists()
    assert Household.objects.get(kk_number=second[0]["no_kk"]).residents.count() == 3
    assert not Resident.objects.filter(nik=taken["nik"]).exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[before:]) == [
        "household.import_create", "registry.import"
    ]

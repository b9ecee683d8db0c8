"""The households file: one row per resident, household columns repeated on each member's row.

This is the contract between the import, the export, the downloadable template and the demo
generator. ``header`` is what the template and the export write; ``aliases`` are other headers
real spreadsheets use for the same column (compared after lower-casing and dropping spaces,
dots and underscores).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    header: str
    target: str  # "household.<field>" or "resident.<field>" or "area.<rt|rw>"
    kind: str  # text, digits, date, int, money, choice, bool
    required: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)


COLUMNS: tuple[Column, ...] = (
    Column("no_kk", "household.kk_number", "digits", True, ("nokk", "nomorkk", "kk", "nomorkartukeluarga")),
    Column("nik", "resident.nik", "digits", True, ("noktp", "nomorinduk", "nomorindukkependudukan")),
    Column("nama_lengkap", "resident.full_name", "text", True, ("nama", "namaanggota", "namawarga")),
    Column("jenis_kelamin", "resident.sex", "choice", True, ("jk", "kelamin", "lp", "sex")),
    Column("tempat_lahir", "resident.birth_place", "text", False, ("tmplahir", "tempat")),
    Column("tanggal_lahir", "resident.birth_date", "date", True, ("tgllahir", "tanggallahir", "lahir", "ttl")),
    Column("hubungan", "resident.relation", "choice", True, ("shdk", "hubungankeluarga", "hubdgnkk", "statusdalamkeluarga")),
    Column("status_perkawinan", "resident.marital_status", "choice", False, ("statuskawin", "perkawinan", "kawin")),
    Column("pendidikan", "resident.education", "choice", False, ("pendidikanterakhir", "ijazah")),
    Column("status_sekolah", "resident.school_enrolment", "choice", False, ("sekolah", "partisipasisekolah")),
    Column("pekerjaan", "resident.occupation", "text", False, ("jenispekerjaan", "profesi")),
    Column("status_pekerjaan", "resident.employment_status", "choice", False, ("statuskerja",)),
    Column("penghasilan", "resident.monthly_income", "money", False, ("penghasilanbulanan", "pendapatan", "gaji")),
    Column("disabilitas", "resident.disability", "choice", False, ("difabel", "jenisdisabilitas", "cacat")),
    Column("hamil", "resident.pregnant", "bool", False, ("sedanghamil", "ibuhamil")),
    Column("penyakit_kronis", "resident.chronic_illness", "text", False, ("penyakit", "penyakitmenahun")),
    Column("rt", "area.rt", "int", True, ("nort",)),
    Column("rw", "area.rw", "int", True, ("norw",)),
    Column("alamat", "household.address", "text", True, ("alamatrumah", "jalan")),
    Column("no_hp", "household.phone", "text", False, ("hp", "telepon", "notelp", "nohandphone", "nowa")),
    Column("dasar_pemrosesan", "household.legal_basis", "choice", False, ("persetujuan", "dasarhukum")),
    Column("tanggal_persetujuan", "household.consent_date", "date", False, ("tglpersetujuan",)),
    Column("luas_lantai", "household.floor_area_m2", "int", False, ("luaslantaim2", "luasbangunan")),
    Column("jenis_lantai", "household.floor_material", "choice", False, ("lantai",)),
    Column("jenis_dinding", "household.wall_material", "choice", False, ("dinding",)),
    Column("jenis_atap", "household.roof_material", "choice", False, ("atap",)),
    Column("sumber_air_minum", "household.water_source", "choice", False, ("airminum", "sumberair")),
    Column("fasilitas_bab", "household.toilet", "choice", False, ("jamban", "toilet", "wc")),
    Column("penerangan", "household.lighting", "choice", False, ("sumberpenerangan",)),
    Column("daya_listrik", "household.electricity_va", "choice", False, ("dayalistrikva", "listrik", "va")),
    Column("bahan_bakar_masak", "household.cooking_fuel", "choice", False, ("bahanbakar", "bbmasak")),
    Column("status_rumah", "household.house_ownership", "choice", False, ("kepemilikanrumah",)),
    Column("status_lahan", "household.land_ownership", "choice", False, ("kepemilikanlahan",)),
    Column("aset_motor", "household.asset_motorbike", "bool", False, ("sepedamotor", "motor")),
    Column("aset_mobil", "household.asset_car", "bool", False, ("mobil",)),
    Column("aset_kulkas", "household.asset_refrigerator", "bool", False, ("kulkas", "lemaries")),
    Column("aset_ac", "household.asset_air_conditioner", "bool", False, ("ac",)),
    Column("aset_tv", "household.asset_television", "bool", False, ("tv", "televisi")),
    Column("aset_komputer", "household.asset_computer", "bool", False, ("komputer", "laptop")),
    Column("aset_smartphone", "household.asset_smartphone", "bool", False, ("smartphone", "hp_android")),
    Column("aset_emas", "household.asset_gold", "bool", False, ("emas", "perhiasan")),
    Column("penghasilan_keluarga", "household.monthly_income", "money", False, ("pendapatankeluarga",)),
    Column("pengeluaran_keluarga", "household.monthly_expenditure", "money", False, ("pengeluaran",)),
    Column("desil_dtsen", "household.dtsen_decile", "int", False, ("desil", "dtsen")),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)

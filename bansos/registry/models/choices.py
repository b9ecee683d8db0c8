"""Code lists of the registry. Values are stable codes; labels are Indonesian (translatable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "HouseholdStatus", "LegalBasis", "FloorMaterial", "WallMaterial", "RoofMaterial", "WaterSource",
    "Toilet", "Lighting", "ElectricityVA", "CookingFuel", "Ownership", "Sex", "Relation",
    "MaritalStatus", "Education", "SchoolEnrolment", "EmploymentStatus", "Disability", "ResidentStatus",
    "ASSET_FIELDS",
]


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")  # lives in the kelurahan
    MOVED = "moved", _("Pindah")  # the whole family moved away
    DISSOLVED = "dissolved", _("Bubar")  # the KK no longer exists (merged, split, all deceased)


HOUSEHOLD_TRANSITIONS = {
    HouseholdStatus.ACTIVE: {HouseholdStatus.MOVED, HouseholdStatus.DISSOLVED},
    HouseholdStatus.MOVED: {HouseholdStatus.ACTIVE},
    HouseholdStatus.DISSOLVED: set(),
}


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Persetujuan tertulis keluarga")
    PUBLIC_TASK = "public_task", _("Pelaksanaan tugas kewenangan pemerintah")
    LEGAL_OBLIGATION = "legal_obligation", _("Kewajiban hukum")
    VITAL_INTEREST = "vital_interest", _("Kepentingan vital")


class FloorMaterial(models.TextChoices):
    CERAMIC = "ceramic", _("Keramik/granit/marmer")
    TILE = "tile", _("Ubin/tegel/teraso")
    CEMENT = "cement", _("Semen/bata merah")
    WOOD = "wood", _("Kayu/papan")
    BAMBOO = "bamboo", _("Bambu")
    EARTH = "earth", _("Tanah")


class WallMaterial(models.TextChoices):
    BRICK = "brick", _("Tembok")
    PLASTERED_BAMBOO = "plaster_bamboo", _("Plesteran anyaman bambu/kawat")
    WOOD = "wood", _("Kayu/papan")
    BAMBOO = "bamboo", _("Anyaman bambu")
    OTHER = "other", _("Lainnya (seng, triplek, kardus)")


class RoofMaterial(models.TextChoices):
    CONCRETE = "concrete", _("Beton")
    CLAY_TILE = "clay_tile", _("Genteng")
    METAL = "metal", _("Seng/asbes")
    OTHER = "other", _("Lainnya")


class WaterSource(models.TextChoices):
    BOTTLED = "bottled", _("Air kemasan/isi ulang")
    PIPED = "piped", _("Leding/PAM")
    PUMP = "pump", _("Sumur bor/pompa")
    PROTECTED_WELL = "protected_well", _("Sumur terlindung")
    UNPROTECTED = "unprotected", _("Sumur tak terlindung/sungai/lainnya")


class Toilet(models.TextChoices):
    PRIVATE = "private", _("Milik sendiri")
    SHARED = "shared", _("Bersama rumah tangga lain")
    PUBLIC = "public", _("MCK umum")
    NONE = "none", _("Tidak ada")


class Lighting(models.TextChoices):
    PLN_METER = "pln_meter", _("Listrik PLN dengan meteran sendiri")
    PLN_SHARED = "pln_shared", _("Listrik PLN menumpang/tanpa meteran")
    NON_PLN = "non_pln", _("Bukan listrik PLN")


class ElectricityVA(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    VA_450 = 450, "450 VA"
    VA_900 = 900, "900 VA"
    VA_1300 = 1300, "1.300 VA"
    VA_2200 = 2200, "2.200 VA"
    VA_3500 = 3500, _("3.500 VA ke atas")


class CookingFuel(models.TextChoices):
    ELECTRIC = "electric", _("Listrik")
    LPG_LARGE = "lpg_large", _("Gas 5,5 kg atau lebih")
    LPG_3KG = "lpg_3kg", _("Gas 3 kg")
    KEROSENE = "kerosene", _("Minyak tanah")
    WOOD = "wood", _("Kayu bakar/arang")
    NONE = "none", _("Tidak memasak")


class Ownership(models.TextChoices):
    OWNED = "owned", _("Milik sendiri")
    RENTED = "rented", _("Sewa/kontrak")
    FREE = "free", _("Bebas sewa/menumpang")
    OFFICIAL = "official", _("Dinas")
    OTHER = "other", _("Lainnya")


# Asset flags on the household: (field name, label). Kept as booleans so rules can query them.
ASSET_FIELDS = (
    ("asset_motorbike", _("Sepeda motor")),
    ("asset_car", _("Mobil")),
    ("asset_refrigerator", _("Kulkas")),
    ("asset_air_conditioner", _("AC")),
    ("asset_television", _("Televisi layar datar")),
    ("asset_computer", _("Komputer/laptop")),
    ("asset_smartphone", _("Telepon pintar")),
    ("asset_gold", _("Emas/perhiasan ≥ 10 gram")),
)


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relation(models.TextChoices):
    """Relation to the head of the family, as on the KK (SHDK)."""

    HEAD = "head", _("Kepala keluarga")
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    CHILD_IN_LAW = "child_in_law", _("Menantu")
    GRANDCHILD = "grandchild", _("Cucu")
    PARENT = "parent", _("Orang tua")
    PARENT_IN_LAW = "parent_in_law", _("Mertua")
    OTHER_FAMILY = "other_family", _("Famili lain")
    OTHER = "other", _("Lainnya")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Belum kawin")
    MARRIED = "married", _("Kawin")
    DIVORCED = "divorced", _("Cerai hidup")
    WIDOWED = "widowed", _("Cerai mati")


class Education(models.TextChoices):
    NONE = "none", _("Tidak/belum sekolah")
    SD_INCOMPLETE = "sd_incomplete", _("Belum tamat SD")
    SD = "sd", _("Tamat SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma I-III")
    BACHELOR = "bachelor", _("Diploma IV/S1")
    POSTGRADUATE = "postgraduate", _("S2/S3")


class SchoolEnrolment(models.TextChoices):
    NEVER = "never", _("Tidak/belum pernah sekolah")
    ENROLLED = "enrolled", _("Masih sekolah")
    DROPPED_OUT = "dropped_out", _("Putus sekolah")
    FINISHED = "finished", _("Tidak bersekolah lagi")


class EmploymentStatus(models.TextChoices):
    EMPLOYEE = "employee", _("Buruh/karyawan/pegawai")
    SELF_EMPLOYED = "self_employed", _("Berusaha sendiri")
    CASUAL = "casual", _("Pekerja lepas/serabutan")
    FAMILY_WORKER = "family_worker", _("Pekerja keluarga tidak dibayar")
    UNEMPLOYED = "unemployed", _("Tidak bekerja, mencari kerja")
    HOMEMAKER = "homemaker", _("Mengurus rumah tangga")
    STUDENT = "student", _("Pelajar/mahasiswa")
    RETIRED = "retired", _("Pensiun/lanjut usia")
    NOT_APPLICABLE = "na", _("Belum usia kerja")


class Disability(models.TextChoices):
    """UU 8/2016 categories."""

    NONE = "none", _("Tidak ada")
    PHYSICAL = "physical", _("Fisik")
    INTELLECTUAL = "intellectual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensory", _("Sensorik (netra, rungu, wicara)")
    MULTIPLE = "multiple", _("Ganda/multi")


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")  # a member of the household
    MOVED_OUT = "moved_out", _("Pindah keluar")  # left the kelurahan
    DECEASED = "deceased", _("Meninggal")
    MERGED = "merged", _("Digabung (data ganda)")  # a duplicate record kept as an alias of ``merged_into``

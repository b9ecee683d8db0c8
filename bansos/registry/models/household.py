"""Households (KK) and their members (residents with a NIK)."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from bansos.core.formats import age_on
from bansos.registry.models.choices import (
    CookingFuel, Disability, ElectricityVA, EmploymentStatus, Education, FloorMaterial, HouseholdStatus,
    LegalBasis, Lighting, MaritalStatus, Ownership, Relation, ResidentStatus, RoofMaterial, SchoolEnrolment,
    Sex, Toilet, WallMaterial, WaterSource,
)

# Ages that define the target groups shown across the platform.
YOUTH_AGES = (16, 30)
ELDERLY_AGE = 60
UNDER_FIVE_AGE = 5
SCHOOL_AGES = (7, 18)


class Household(models.Model):
    # Indexed in Meta (a plain index: db_index would add a LIKE-only twin on PostgreSQL).
    kk_number = models.CharField(_("nomor KK"), max_length=16)
    # No index of its own: household_rt_status_idx starts with rt_id.
    rt = models.ForeignKey(
        "core.RT", on_delete=models.PROTECT, related_name="households", verbose_name="RT", db_index=False
    )
    address = models.CharField(_("alamat"), max_length=200)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    legal_basis = models.CharField(
        _("dasar pemrosesan data"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_TASK
    )
    consent_date = models.DateField(_("tanggal persetujuan"), null=True, blank=True)

    # Socio-economic attributes for the welfare ranking. Null means "not surveyed yet".
    floor_area_m2 = models.PositiveIntegerField(
        _("luas lantai (m²)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    floor_material = models.CharField(_("jenis lantai"), max_length=20, choices=FloorMaterial.choices, blank=True)
    wall_material = models.CharField(_("jenis dinding"), max_length=20, choices=WallMaterial.choices, blank=True)
    roof_material = models.CharField(_("jenis atap"), max_length=20, choices=RoofMaterial.choices, blank=True)
    water_source = models.CharField(_("sumber air minum"), max_length=20, choices=WaterSource.choices, blank=True)
    toilet = models.CharField(_("fasilitas BAB"), max_length=20, choices=Toilet.choices, blank=True)
    lighting = models.CharField(_("sumber penerangan"), max_length=20, choices=Lighting.choices, blank=True)
    electricity_va = models.PositiveIntegerField(
        _("daya listrik"), choices=ElectricityVA.choices, null=True, blank=True
    )
    cooking_fuel = models.CharField(_("bahan bakar memasak"), max_length=20, choices=CookingFuel.choices, blank=True)
    house_ownership = models.CharField(_("status rumah"), max_length=20, choices=Ownership.choices, blank=True)
    land_ownership = models.CharField(_("status lahan"), max_length=20, choices=Ownership.choices, blank=True)
    asset_motorbike = models.BooleanField(_("sepeda motor"), default=False)
    asset_car = models.BooleanField(_("mobil"), default=False)
    asset_refrigerator = models.BooleanField(_("kulkas"), default=False)
    asset_air_conditioner = models.BooleanField(_("AC"), default=False)
    asset_television = models.BooleanField(_("televisi layar datar"), default=False)
    asset_computer = models.BooleanField(_("komputer/laptop"), default=False)
    asset_smartphone = models.BooleanField(_("telepon pintar"), default=False)
    asset_gold = models.BooleanField(_("emas ≥ 10 gram"), default=False)
    monthly_income = models.PositiveBigIntegerField(_("penghasilan keluarga per bulan (Rp)"), null=True, blank=True)
    monthly_expenditure = models.PositiveBigIntegerField(
        _("pengeluaran keluarga per bulan (Rp)"), null=True, blank=True
    )
    dtsen_decile = models.PositiveSmallIntegerField(
        _("desil DTSEN"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        ordering = ["kk_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kk_number"], condition=Q(status="active"), name="household_active_kk_unique"
            ),
            models.CheckConstraint(
                condition=Q(dtsen_decile__isnull=True) | Q(dtsen_decile__gte=1, dtsen_decile__lte=10),
                name="household_decile_range",
            ),
        ]
        indexes = [
            models.Index(fields=["rt", "status"], name="household_rt_status_idx"),
            # Lists of every status sort by KK; searches of active households use the unique index.
            models.Index(fields=["kk_number"], name="household_kk_idx"),
        ]

    def __str__(self) -> str:
        return f"KK {self.kk_number}"

    @cached_property
    def active_members(self) -> list[Resident]:
        return [r for r in self.residents.all() if r.status == ResidentStatus.ACTIVE]

    @cached_property
    def head(self) -> Resident | None:
        return next((r for r in self.active_members if r.relation == Relation.HEAD), None)

    @property
    def is_female_headed(self) -> bool:
        return self.head is not None and self.head.sex == Sex.FEMALE


class Resident(models.Model):
    # Indexed by resident_household_facts_idx (Meta), which starts with the household.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residents", verbose_name=_("keluarga"), db_index=False
    )
    # Indexed twice, both partial (Meta): unique among active residents, plain among the others.
    # A full index on top would cost every insert (the import) a third NIK index.
    nik = models.CharField("NIK", max_length=16)
    full_name = models.CharField(_("nama lengkap"), max_length=120)
    # Upper-case ASCII form of the name for prefix search (see registry.names).
    name_key = models.CharField(max_length=120, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    relation = models.CharField(_("hubungan dalam keluarga"), max_length=20, choices=Relation.choices)
    marital_status = models.CharField(
        _("status perkawinan"), max_length=12, choices=MaritalStatus.choices, default=MaritalStatus.SINGLE
    )
    education = models.CharField(_("pendidikan terakhir"), max_length=20, choices=Education.choices, blank=True)
    school_enrolment = models.CharField(
        _("status sekolah"), max_length=20, choices=SchoolEnrolment.choices, blank=True
    )
    occupation = models.CharField(_("pekerjaan"), max_length=80, blank=True)
    employment_status = models.CharField(
        _("status pekerjaan"), max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    monthly_income = models.PositiveBigIntegerField(_("penghasilan per bulan (Rp)"), null=True, blank=True)
    disability = models.CharField(
        _("disabilitas"), max_length=20, choices=Disability.choices, default=Disability.NONE
    )
    pregnant = models.BooleanField(_("sedang hamil"), default=False)
    chronic_illness = models.CharField(_("penyakit kronis"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    # Set when this record was found to be a duplicate and merged (bansos.registry.services_merge).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_aliases",
        verbose_name=_("digabung ke"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")
        ordering = ["household_id", "birth_date"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(status="active"), name="resident_active_nik_unique"),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active", relation="head"),
                name="resident_one_active_head",
            ),
            models.CheckConstraint(condition=Q(pregnant=False) | Q(sex="P"), name="resident_pregnant_female"),
        ]
        indexes = [
            # Searches by NIK also find people who moved out or died: the active ones come from
            # resident_active_nik_unique, the rest from this small index (queries name the status).
            models.Index(fields=["nik"], condition=~Q(status="active"), name="resident_inactive_nik_idx"),
            # A plain index (db_index would add a second, LIKE-only index on PostgreSQL): name
            # search is a range on the upper-case key (registry.selectors), and it wants the
            # household of each match, which the index carries.
            models.Index(fields=["name_key", "household"], name="resident_name_key_idx"),
            # Members by household with every column that eligibility rules, the welfare model and
            # explanations read, so those read the index alone (migration 0003 says why).
            models.Index(
                fields=["household", "status", "birth_date", "pregnant", "disability", "school_enrolment",
                        "relation", "sex", "employment_status", "education"],
                name="resident_household_facts_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age(self, on: dt.date | None = None) -> int | None:
        return age_on(self.birth_date, on or timezone.localdate())

    @property
    def groups(self) -> list[str]:
        """Codes of the target groups this person belongs to today."""
        age = self.age()
        found = []
        if age is None:
            return found
        if self.relation == Relation.HEAD and self.sex == Sex.FEMALE:
            found.append("female_head")
        if YOUTH_AGES[0] <= age <= YOUTH_AGES[1]:
            found.append("youth")
        if age >= ELDERLY_AGE:
            found.append("elderly")
        if age < UNDER_FIVE_AGE:
            found.append("under_five")
        if SCHOOL_AGES[0] <= age <= SCHOOL_AGES[1]:
            found.append("school_age")
        if self.pregnant:
            found.append("pregnant")
        if self.disability and self.disability != Disability.NONE:
            found.append("disability")
        return found


GROUP_LABELS = {
    "female_head": _("Perempuan kepala keluarga"),
    "youth": _("Pemuda (16-30)"),
    "elderly": _("Lansia (60+)"),
    "under_five": _("Balita"),
    "school_age": _("Usia sekolah (7-18)"),
    "pregnant": _("Ibu hamil"),
    "disability": _("Penyandang disabilitas"),
}

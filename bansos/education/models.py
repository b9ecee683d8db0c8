"""Free education: schools, student records per school year, monthly attendance, and the attendance
condition of education programs (warnings and suspensions).

A resident has at most one current ("enrolled") student record per school year (a database
constraint); a record that ends (dropped out, graduated, moved) stays as history. Attendance is one
row per student record and month. The stipend itself is money of the cash app: a CashScheme with
components per level, which learns each student's real level through ``cash.amounts.register_school_levels``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SchoolLevel(models.TextChoices):
    SD = "sd", _("SD/MI")
    SMP = "smp", _("SMP/MTs")
    SMA = "sma", _("SMA/MA")
    SMK = "smk", _("SMK")
    PKBM = "pkbm", _("PKBM (pendidikan kesetaraan)")


# The cash scheme's level of each school level (SMA and SMK share the "SMA/SMK" amount).
CASH_LEVEL = {SchoolLevel.SD: "sd", SchoolLevel.SMP: "smp", SchoolLevel.SMA: "sma", SchoolLevel.SMK: "smk",
              SchoolLevel.PKBM: "pkbm"}
# Highest grade per level (PKBM: Paket A 1-6, B 7-9, C 10-12).
MAX_GRADE = {SchoolLevel.SD: (1, 6), SchoolLevel.SMP: (7, 9), SchoolLevel.SMA: (10, 12),
             SchoolLevel.SMK: (10, 13), SchoolLevel.PKBM: (1, 12)}


class School(models.Model):
    """A school the kelurahan's children attend (inside or near Duri Kepa)."""

    name = models.CharField(_("nama sekolah"), max_length=120)
    level = models.CharField(_("jenjang"), max_length=4, choices=SchoolLevel.choices)
    is_private = models.BooleanField(_("swasta"), default=False)
    # Nomor Pokok Sekolah Nasional: 8 digits, when known.
    npsn = models.CharField(_("NPSN"), max_length=8, null=True, blank=True, unique=True)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("sekolah")
        verbose_name_plural = _("sekolah")
        constraints = [
            models.UniqueConstraint(fields=["name", "level"], name="education_school_name_level_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Bersekolah")  # the current record of the year
    DROPPED_OUT = "dropped_out", _("Putus sekolah")
    GRADUATED = "graduated", _("Lulus")
    MOVED = "moved", _("Pindah sekolah")


STUDENT_TRANSITIONS = {
    StudentStatus.ENROLLED: {StudentStatus.DROPPED_OUT, StudentStatus.GRADUATED, StudentStatus.MOVED},
    StudentStatus.DROPPED_OUT: {StudentStatus.ENROLLED},  # back to school in the same year
    StudentStatus.GRADUATED: set(),
    StudentStatus.MOVED: set(),
}


class Student(models.Model):
    """A resident's place at a school in one school year (e.g. "2026/2027", July to June)."""

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="student_records")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    grade = models.PositiveSmallIntegerField(_("kelas"))
    school_year = models.CharField(_("tahun ajaran"), max_length=9)
    nisn = models.CharField(_("NISN"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StudentStatus.choices,
                              default=StudentStatus.ENROLLED)
    status_reason = models.CharField(_("keterangan status"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-school_year", "grade", "pk"]
        verbose_name = _("siswa")
        verbose_name_plural = _("siswa")
        constraints = [
            models.UniqueConstraint(fields=["resident", "school_year"], condition=Q(status="enrolled"),
                                    name="education_one_current_record_per_year"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=13), name="education_grade_range"),
        ]
        indexes = [
            models.Index(fields=["school", "school_year", "grade"], name="education_student_class_idx"),
            models.Index(fields=["nisn"], name="education_student_nisn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.school} ({self.school_year})"


class EducationTerms(models.Model):
    """The attendance condition of an education program (the stipend amounts are its cash scheme)."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="education_terms")
    min_attendance = models.PositiveSmallIntegerField(_("kehadiran minimal per bulan (%)"), default=85)
    # Consecutive months under the condition that suspend the enrollment; the first one warns.
    misses_to_suspend = models.PositiveSmallIntegerField(_("bulan berturut-turut di bawah syarat sampai ditangguhkan"),
                                                         default=2)
    resume_on_pass = models.BooleanField(_("lanjutkan otomatis bila kehadiran kembali memenuhi syarat"),
                                         default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("syarat program pendidikan")
        verbose_name_plural = _("syarat program pendidikan")
        constraints = [
            models.CheckConstraint(condition=Q(min_attendance__gte=1, min_attendance__lte=100),
                                   name="education_terms_min_range"),
            models.CheckConstraint(condition=Q(misses_to_suspend__gte=1, misses_to_suspend__lte=12),
                                   name="education_terms_misses_range"),
        ]


class AttendanceSource(models.TextChoices):
    ENTRY = "entry", _("Diisi di halaman")
    CSV = "csv", _("Impor CSV")
    API = "api", _("API")


class Attendance(models.Model):
    """One student's attendance in one month: days present out of the school's school days."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="attendance")
    month = models.DateField(_("bulan"))  # the month's first day
    present_days = models.PositiveSmallIntegerField(_("hari hadir"))
    school_days = models.PositiveSmallIntegerField(_("hari sekolah"))
    source = models.CharField(max_length=6, choices=AttendanceSource.choices, default=AttendanceSource.ENTRY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("kehadiran bulanan")
        verbose_name_plural = _("kehadiran bulanan")
        constraints = [
            models.UniqueConstraint(fields=["student", "month"], name="education_attendance_month_unique"),
            models.CheckConstraint(condition=Q(school_days__gte=1, school_days__lte=31),
                                   name="education_attendance_days_range"),
            models.CheckConstraint(condition=Q(present_days__lte=F("school_days")),
                                   name="education_attendance_present_within"),
        ]

    @property
    def percent(self) -> int:
        """Attendance as a whole percentage, rounded down (84.9 % is 84 %: it does not pass 85 %)."""
        return self.present_days * 100 // self.school_days

    def meets(self, minimum: int) -> bool:
        # Integer arithmetic: exactly the minimum passes, with no float rounding at the boundary.
        return self.present_days * 100 >= minimum * self.school_days


class ConditionKind(models.TextChoices):
    WARNING = "warning", _("Peringatan kehadiran")  # first month under the condition
    SUSPENDED = "suspended", _("Bantuan ditangguhkan")  # the configured count of months reached
    RESUMED = "resumed", _("Bantuan dilanjutkan")  # attendance back above the condition


class ConditionEvent(models.Model):
    """What the attendance condition did to one enrollment for one month."""

    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="condition_events")
    month = models.DateField()
    kind = models.CharField(max_length=10, choices=ConditionKind.choices)
    percent = models.PositiveSmallIntegerField()
    minimum = models.PositiveSmallIntegerField()
    misses = models.PositiveSmallIntegerField(default=0)  # consecutive months under the condition
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "month", "kind"], name="education_condition_once"),
        ]

"""Survey forms (sections, questions, choices), rounds, and the responses entered per household."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being built; can be changed freely
    PUBLISHED = "published", _("Terbit")  # fixed; rounds can use it
    ARCHIVED = "archived", _("Diarsipkan")  # kept for old rounds; no new rounds


FORM_TRANSITIONS = {
    FormStatus.DRAFT: {FormStatus.PUBLISHED, FormStatus.ARCHIVED},
    FormStatus.PUBLISHED: {FormStatus.ARCHIVED},
    FormStatus.ARCHIVED: {FormStatus.PUBLISHED},
}


class SurveyForm(models.Model):
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=FormStatus.choices, default=FormStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("formulir survei")
        verbose_name_plural = _("formulir survei")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    form = models.ForeignKey(SurveyForm, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("urutan"), default=0)
    title = models.CharField(_("judul bagian"), max_length=200)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Teks")
    INTEGER = "integer", _("Bilangan bulat")
    DECIMAL = "decimal", _("Bilangan desimal")
    SINGLE = "single", _("Pilihan tunggal")
    MULTIPLE = "multiple", _("Pilihan ganda")
    DATE = "date", _("Tanggal")
    YES_NO = "yesno", _("Ya/Tidak")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Subject(models.TextChoices):
    HOUSEHOLD = "household", _("Keluarga")  # asked once per household
    RESIDENT = "resident", _("Setiap anggota")  # asked for each active member


class ConditionOp(models.TextChoices):
    EQUALS = "eq", _("sama dengan")
    NOT_EQUALS = "ne", _("tidak sama dengan")
    IN = "in", _("salah satu dari")


class Question(models.Model):
    form = models.ForeignKey(SurveyForm, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("urutan"), default=0)
    code = models.CharField(_("kode"), max_length=64)
    label = models.CharField(_("pertanyaan"), max_length=500)
    kind = models.CharField(_("jenis jawaban"), max_length=12, choices=QuestionKind.choices)
    required = models.BooleanField(_("wajib dijawab"), default=False)
    hint = models.CharField(_("petunjuk"), max_length=500, blank=True)
    subject = models.CharField(_("ditanyakan kepada"), max_length=12, choices=Subject.choices,
                               default=Subject.HOUSEHOLD)
    # "Show when": this question is asked only when an earlier question's answer meets the test.
    show_when_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="dependents",
        verbose_name=_("tampilkan bila pertanyaan"),
    )
    show_when_op = models.CharField(_("syarat"), max_length=2, choices=ConditionOp.choices, blank=True)
    # One value for eq/ne; for "in" several values separated by commas.
    show_when_value = models.CharField(_("nilai syarat"), max_length=200, blank=True)
    # "household.<field>" or "resident.<field>" (see surveys.mapping); an answer updates that field.
    maps_to = models.CharField(_("kolom registri"), max_length=64, blank=True)
    is_need_indicator = models.BooleanField(_("indikator kebutuhan"), default=False)

    class Meta:
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="survey_question_code_unique"),
            models.CheckConstraint(
                condition=Q(show_when_question__isnull=True) | ~Q(show_when_op=""),
                name="survey_question_condition_has_op",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def condition_values(self) -> list[str]:
        if self.show_when_op == ConditionOp.IN:
            return [v.strip() for v in self.show_when_value.split(",") if v.strip()]
        return [self.show_when_value]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("urutan"), default=0)
    value = models.CharField(_("nilai"), max_length=64)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="survey_choice_value_unique")]

    def __str__(self) -> str:
        return self.label


class RoundKind(models.TextChoices):
    BASELINE = "baseline", _("Data dasar (baseline)")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")  # set up; no entry yet
    OPEN = "open", _("Berjalan")  # officers enter responses
    CLOSED = "closed", _("Ditutup")  # finished; responses are read-only


ROUND_TRANSITIONS = {
    RoundStatus.PLANNED: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.OPEN},
}


class SurveyRound(models.Model):
    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="rounds",
                             verbose_name=_("formulir"))
    name = models.CharField(_("nama putaran"), max_length=120, unique=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=RoundKind.choices, default=RoundKind.BASELINE)
    follow_up_number = models.PositiveSmallIntegerField(_("tindak lanjut ke-"), null=True, blank=True)
    period_start = models.DateField(_("mulai"))
    period_end = models.DateField(_("selesai"))
    # Empty means the whole kelurahan.
    target_rws = models.ManyToManyField("core.RW", blank=True, related_name="+", verbose_name=_("RW sasaran"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices,
                              default=RoundStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="survey_round_period_order"),
            models.CheckConstraint(
                condition=(Q(kind="baseline", follow_up_number__isnull=True)
                           | Q(kind="follow_up", follow_up_number__gte=1)),
                name="survey_round_follow_up_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == RoundKind.FOLLOW_UP:
            return f"{RoundKind.FOLLOW_UP.label} {self.follow_up_number}"
        return str(RoundKind.BASELINE.label)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # saved part-way; not counted, registry untouched
    SUBMITTED = "submitted", _("Terkirim")  # complete; counted and applied to the registry


class Response(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT,
                                  related_name="survey_responses")
    respondent = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("responden"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One response per household per round, draft or submitted: two officers cannot
            # each file one, and a submitted one is edited in place (audited) rather than duplicated.
            models.UniqueConstraint(fields=["round", "household"], name="survey_response_one_per_household"),
        ]
        indexes = [models.Index(fields=["round", "status"], name="survey_response_round_status")]

    def __str__(self) -> str:
        return f"{self.round} · KK {self.household.kk_number}"


class Answer(models.Model):
    """One answer, stored typed; ``resident`` is set for per-member questions."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    # Text, single choice and yes/no ("yes"/"no") as text; multiple choice as " a b " (codes padded
    # by spaces, so "contains ' a '" counts it on both databases) with the list in value_json.
    value_text = models.TextField(blank=True)
    value_number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_json = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], condition=Q(resident__isnull=True),
                                    name="survey_answer_household_unique"),
            models.UniqueConstraint(fields=["response", "question", "resident"],
                                    condition=Q(resident__isnull=False), name="survey_answer_member_unique"),
        ]

"""Import a survey form from an XLSForm (.xlsx), the format of ODK and KoboToolbox.

The ``survey``, ``choices`` and ``settings`` sheets are read directly with openpyxl. Supported:
types integer, decimal, text, date, select_one / select_multiple LIST, begin_group / end_group
(one level, as sections); ``required``; ``label`` or ``label::Indonesian (id)``; ``hint``;
``relevant`` of the forms ``${q} = 'x'``, ``${q} != 'x'`` and ``selected(${q}, 'x')``.
Two extension columns: ``registry`` (a field such as ``household.floor_material``) and
``subject`` (``household``/``resident``, or ``keluarga``/``anggota``).

Everything is checked first; any problem rejects the whole file with one message per row, and
nothing is stored. Metadata types (start, end, today, deviceid...) are skipped with a note.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.surveys.mapping import TARGETS, code_for_label
from bansos.surveys.models import Choice, ConditionOp, Question, QuestionKind, Section, Subject, SurveyForm

MSG_REJECTED = _("Berkas XLSForm ditolak; tidak ada yang disimpan. Perbaiki baris berikut lalu unggah lagi.")
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024  # bytes of XML a form may unpack to

_SIMPLE_TYPES = {
    "integer": QuestionKind.INTEGER, "int": QuestionKind.INTEGER, "decimal": QuestionKind.DECIMAL,
    "text": QuestionKind.TEXT, "string": QuestionKind.TEXT, "date": QuestionKind.DATE,
}
_METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
             "email", "audit", "calculate", "note", "start-geopoint"}
_YES = {"yes", "ya", "y", "1", "true"}
_NO = {"no", "tidak", "n", "0", "false", "t"}
_CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_VALUE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_EQ = re.compile(r"""^\$\{(\w+)\}\s*(=|!=)\s*(['"])(.*?)\3$""")
_SELECTED = re.compile(r"""^selected\(\s*\$\{(\w+)\}\s*,\s*(['"])(.*?)\2\s*\)$""")
_TRUE = {"yes", "true", "true()", "1", "ya", "y"}
_FALSE = {"", "no", "false", "false()", "0", "tidak", "n"}


class XlsFormRejected(DomainError):
    status = 422

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__("xlsform_rejected", MSG_REJECTED)


@dataclass
class _Question:
    row: int
    code: str
    label: str
    kind: str
    list_name: str = ""
    required: bool = False
    hint: str = ""
    relevant: str = ""
    maps_to: str = ""
    subject: str = Subject.HOUSEHOLD
    section: int = 0
    choices: list[tuple[str, str]] = field(default_factory=list)
    condition: tuple[str, str, str] | None = None  # (source code, op, value)


@dataclass
class ImportResult:
    form: SurveyForm
    questions: int
    notes: list[dict[str, Any]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows(sheet) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {_text(h).lower(): i for i, h in enumerate(header) if _text(h)}
    body = []
    for number, row in enumerate(rows, start=2):
        if any(_text(v) for v in row):
            body.append((number, list(row)))
    return columns, body


def _pick(columns: dict[str, int], base: str) -> int | None:
    """The column for ``base``: Indonesian first (label::Indonesian (id)), then plain, then any language."""
    for name, index in columns.items():
        if name.startswith(f"{base}::") and ("(id)" in name or "indonesia" in name):
            return index
    if base in columns:
        return columns[base]
    return next((i for n, i in columns.items() if n.startswith(f"{base}::")), None)


def _get(row: list[Any], index: int | None) -> str:
    return _text(row[index]) if index is not None and index < len(row) else ""


def _is_yes_no(choices: list[tuple[str, str]]) -> bool:
    values = {v.casefold() for v, _label in choices}
    return len(values) == 2 and bool(values & _YES) and bool(values & _NO) and values <= _YES | _NO


def _yes_no(value: str) -> str:
    v = value.casefold()
    return "yes" if v in _YES else "no" if v in _NO else value


def parse_workbook(data: bytes) -> tuple[dict[str, Any], list[_Question], list[str], list[dict], list[dict]]:
    """Read and check a workbook: (settings, questions, section titles, problems, notes)."""
    from openpyxl import load_workbook

    problems: list[dict] = []
    notes: list[dict] = []

    def problem(sheet: str, row: int | None, message: str) -> None:
        problems.append({"sheet": sheet, "row": row, "message": message})

    from bansos.registry.importing.reader import XlsxTooBig, check_xlsx

    try:
        # The zip index first: a form of a few MB that unpacks to gigabytes is a zip bomb.
        check_xlsx(io.BytesIO(data), max_unpacked=MAX_UNPACKED)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XlsxTooBig as exc:
        problem("", None, exc.text)
        return {}, [], [], problems, notes
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        problem("", None, _t("Berkas tidak dapat dibaca sebagai XLSX (Excel 2007 atau lebih baru)."))
        return {}, [], [], problems, notes
    names = {name.lower(): name for name in workbook.sheetnames}
    if "survey" not in names:
        problem("", None, _t("Lembar 'survey' tidak ada."))
        return {}, [], [], problems, notes

    settings: dict[str, Any] = {}
    if "settings" in names:
        columns, body = _rows(workbook[names["settings"]])
        if body:
            row = body[0][1]
            settings = {"title": _get(row, _pick(columns, "form_title")), "version": _get(row, columns.get("version"))}

    lists: dict[str, list[tuple[str, str, int]]] = {}
    if "choices" in names:
        columns, body = _rows(workbook[names["choices"]])
        list_col = columns.get("list_name", columns.get("list name"))
        name_col, label_col = columns.get("name"), _pick(columns, "label")
        if list_col is None or name_col is None or label_col is None:
            problem("choices", 1, _t("Lembar 'choices' harus memiliki kolom list_name, name dan label."))
        else:
            for number, row in body:
                list_name, value, label = _get(row, list_col), _get(row, name_col), _get(row, label_col)
                if not list_name or not value:
                    problem("choices", number, _t("Kolom list_name dan name wajib diisi."))
                    continue
                if not _VALUE.match(value):
                    problem("choices", number, _t("Nilai pilihan '%(v)s' hanya boleh berisi huruf, angka, titik, "
                                                  "garis bawah dan tanda hubung.") % {"v": value})
                    continue
                if any(v == value for v, _l, _r in lists.get(list_name, [])):
                    problem("choices", number, _t("Nilai '%(v)s' muncul dua kali di daftar %(l)s.")
                            % {"v": value, "l": list_name})
                    continue
                lists.setdefault(list_name, []).append((value, label or value, number))

    columns, body = _rows(workbook[names["survey"]])
    type_col, name_col, label_col = columns.get("type"), columns.get("name"), _pick(columns, "label")
    if type_col is None or name_col is None or label_col is None:
        problem("survey", 1, _t("Lembar 'survey' harus memiliki kolom type, name dan label."))
        return settings, [], [], problems, notes
    hint_col, required_col, relevant_col = _pick(columns, "hint"), columns.get("required"), columns.get("relevant")
    registry_col = columns.get("registry", columns.get("bansos_field"))
    subject_col = columns.get("subject", columns.get("bansos_subject"))

    questions: list[_Question] = []
    sections: list[str] = []
    in_group = False
    seen: dict[str, _Question] = {}
    for number, row in body:
        kind_text = _get(row, type_col)
        kind_word, _sp, list_name = kind_text.partition(" ")
        kind_word = kind_word.lower().replace(" ", "_")
        code, label = _get(row, name_col), _get(row, label_col)
        if kind_word in ("begin_group", "begin"):
            if kind_text.lower().replace(" ", "_") not in ("begin_group",):
                problem("survey", number, _t("Jenis '%(t)s' tidak didukung.") % {"t": kind_text})
                continue
            if in_group:
                problem("survey", number, _t("Grup di dalam grup tidak didukung; gunakan satu tingkat grup."))
                continue
            in_group = True
            sections.append(label or code or _t("Bagian %(n)s") % {"n": len(sections) + 1})
            continue
        if kind_text.lower().replace(" ", "_") == "end_group":
            if not in_group:
                problem("survey", number, _t("end_group tanpa begin_group."))
            in_group = False
            continue
        if kind_word in _METADATA:
            notes.append({"sheet": "survey", "row": number,
                          "message": _t("Jenis '%(t)s' tidak dipakai di sini dan dilewati.") % {"t": kind_word}})
            continue
        if kind_word in ("begin_repeat", "end_repeat"):
            problem("survey", number, _t("Grup berulang (repeat) tidak didukung; tandai pertanyaan per anggota "
                                         "dengan kolom subject = resident."))
            continue
        if kind_word in _SIMPLE_TYPES:
            kind = _SIMPLE_TYPES[kind_word]
        elif kind_word in ("select_one", "select_multiple"):
            kind = QuestionKind.SINGLE if kind_word == "select_one" else QuestionKind.MULTIPLE
            if not list_name.strip():
                problem("survey", number, _t("%(t)s perlu nama daftar pilihan, misalnya 'select_one lantai'.")
                        % {"t": kind_word})
                continue
        else:
            problem("survey", number, _t("Jenis '%(t)s' tidak didukung.") % {"t": kind_text or "-"})
            continue
        if not code or not _CODE.match(code):
            problem("survey", number, _t("Nama (name) '%(n)s' harus diawali huruf dan hanya berisi huruf, angka "
                                         "dan garis bawah.") % {"n": code})
            continue
        if code in seen:
            problem("survey", number, _t("Nama '%(n)s' sudah dipakai di baris %(r)s.") % {"n": code, "r": seen[code].row})
            continue
        if not label:
            problem("survey", number, _t("Label pertanyaan '%(n)s' kosong.") % {"n": code})
            continue
        required_text = _get(row, required_col).lower()
        if required_text not in _TRUE | _FALSE:
            problem("survey", number, _t("Kolom required berisi '%(v)s'; tulis yes atau no.") % {"v": required_text})
            continue
        question = _Question(
            row=number, code=code, label=label[:500], kind=kind, list_name=list_name.strip(),
            required=required_text in _TRUE, hint=_get(row, hint_col)[:500], relevant=_get(row, relevant_col),
            maps_to=_get(row, registry_col),
        )
        subject = _get(row, subject_col).lower()
        if subject in ("", "household", "keluarga"):
            question.subject = Subject.HOUSEHOLD
        elif subject in ("resident", "anggota", "member"):
            question.subject = Subject.RESIDENT
        else:
            problem("survey", number, _t("Kolom subject berisi '%(v)s'; tulis household atau resident.") % {"v": subject})
            continue
        if not in_group:
            # Questions outside any group go to a section of their own, in file order.
            if not sections or not getattr(questions[-1] if questions else None, "_loose", False):
                sections.append(_t("Umum"))
            question._loose = True  # type: ignore[attr-defined]
        question.section = len(sections) - 1
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if question.list_name not in lists:
                problem("survey", number, _t("Daftar pilihan '%(l)s' tidak ada di lembar choices.")
                        % {"l": question.list_name})
                continue
            question.choices = [(v, lbl) for v, lbl, _r in lists[question.list_name]]
            if question.kind == QuestionKind.SINGLE and _is_yes_no(question.choices):
                question.kind = QuestionKind.YES_NO
        if not _map_registry(question, problem, lists):
            continue
        if question.relevant and not _parse_relevant(question, seen, problem):
            continue
        seen[code] = question
        questions.append(question)
    if in_group:
        problems.append({"sheet": "survey", "row": None, "message": _t("begin_group tanpa end_group.")})
    if not questions and not problems:
        problem("survey", None, _t("Tidak ada pertanyaan yang dapat diimpor."))
    return settings, questions, sections, problems, notes


def _map_registry(question: _Question, problem, lists) -> bool:
    if not question.maps_to:
        return True
    target = TARGETS.get(question.maps_to)
    if target is None:
        problem("survey", question.row, _t("Kolom registry '%(f)s' tidak dikenal. Pilihan: %(all)s.")
                % {"f": question.maps_to, "all": ", ".join(TARGETS)})
        return False
    if target.subject != question.subject:
        problem("survey", question.row, _t("Kolom registry %(f)s membutuhkan subject = %(s)s.")
                % {"f": question.maps_to, "s": target.subject})
        return False
    if target.kind == QuestionKind.YES_NO and question.kind == QuestionKind.YES_NO:
        return True
    if target.kind != question.kind:
        problem("survey", question.row, _t("Kolom registry %(f)s membutuhkan jenis %(k)s, bukan %(g)s.")
                % {"f": question.maps_to, "k": QuestionKind(target.kind).label, "g": QuestionKind(question.kind).label})
        return False
    if target.choices is not None:
        mapped = []
        rows = {v: r for v, _l, r in lists.get(question.list_name, [])}
        for value, label in question.choices:
            code = code_for_label(target, value) or code_for_label(target, label)
            if code is None:
                problem("choices", rows.get(value), _t("Pilihan '%(v)s' (%(l)s) tidak cocok dengan kode registri "
                                                       "untuk %(f)s: %(codes)s.")
                        % {"v": value, "l": label, "f": question.maps_to, "codes": ", ".join(target.codes())})
                return False
            mapped.append((code, label))
        if len({c for c, _l in mapped}) != len(mapped):
            problem("survey", question.row, _t("Dua pilihan dipetakan ke kode registri yang sama."))
            return False
        question._original_values = [(v, c) for (v, _l), (c, _l2) in zip(question.choices, mapped)]
        question.choices = mapped
    return True


def _parse_relevant(question: _Question, seen: dict[str, _Question], problem) -> bool:
    text = question.relevant.strip()
    match = _EQ.match(text)
    if match:
        source_code, op, value = match.group(1), match.group(2), match.group(4)
        op = ConditionOp.EQUALS if op == "=" else ConditionOp.NOT_EQUALS
    else:
        match = _SELECTED.match(text)
        if not match:
            problem("survey", question.row, _t("Syarat relevant '%(r)s' tidak didukung. Gunakan ${q} = 'x', "
                                               "${q} != 'x' atau selected(${q}, 'x').") % {"r": text})
            return False
        source_code, value, op = match.group(1), match.group(3), ConditionOp.IN
    source = seen.get(source_code)
    if source is None:
        problem("survey", question.row, _t("Syarat relevant merujuk '%(q)s' yang bukan pertanyaan sebelumnya.")
                % {"q": source_code})
        return False
    if source.subject == Subject.RESIDENT and question.subject == Subject.HOUSEHOLD:
        problem("survey", question.row, _t("Pertanyaan keluarga tidak dapat bergantung pada jawaban per anggota."))
        return False
    if source.kind == QuestionKind.YES_NO:
        value = _yes_no(value)
    elif source.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        # After registry mapping a condition may still use the file's own value for a choice.
        original = dict(getattr(source, "_original_values", []))
        if value not in {c for c, _l in source.choices}:
            value = original.get(value, value)
        if value not in {c for c, _l in source.choices}:
            problem("survey", question.row, _t("Syarat relevant memakai nilai '%(v)s' yang tidak ada di pilihan %(q)s.")
                    % {"v": value, "q": source_code})
            return False
    question.condition = (source_code, op, value)
    return True


def form_import_xlsform(*, actor, data: bytes, filename: str = "") -> ImportResult:
    """Create a draft form from an XLSForm; XlsFormRejected (nothing stored) when any row is wrong."""
    require(actor, P.SURVEY_DESIGN)
    if len(data) > MAX_BYTES:
        raise XlsFormRejected([{"sheet": "", "row": None, "message": _t("Berkas lebih dari 5 MB.")}])
    settings, questions, sections, problems, notes = parse_workbook(data)
    if problems:
        raise XlsFormRejected(problems)
    title = settings.get("title") or (filename.rsplit(".", 1)[0] if filename else "") or _t("Formulir impor")
    try:
        version = max(1, int(float(settings.get("version") or 1)))
    except ValueError:
        version = 1
    with transaction.atomic():
        form = SurveyForm.objects.create(title=title[:200], version=version, created_by=actor,
                                         description=_t("Diimpor dari XLSForm %(f)s") % {"f": filename} if filename else "")
        section_rows = [Section.objects.create(form=form, title=title_[:200], order=i)
                        for i, title_ in enumerate(sections, start=1)]
        created: dict[str, Question] = {}
        for order, spec in enumerate(questions, start=1):
            source = created[spec.condition[0]] if spec.condition else None
            question = Question.objects.create(
                form=form, section=section_rows[spec.section], order=order, code=spec.code, label=spec.label,
                kind=spec.kind, required=spec.required, hint=spec.hint, subject=spec.subject, maps_to=spec.maps_to,
                show_when_question=source, show_when_op=spec.condition[1] if spec.condition else "",
                show_when_value=spec.condition[2] if spec.condition else "",
            )
            if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                Choice.objects.bulk_create([Choice(question=question, order=i, value=v, label=lbl[:200])
                                            for i, (v, lbl) in enumerate(spec.choices, start=1)])
            created[spec.code] = question
        audit_log(actor=actor, action="survey.form.import", obj=form,
                  changes={"file": [None, filename], "questions": [None, len(questions)]})
    return ImportResult(form=form, questions=len(questions), notes=notes)


# --- The downloadable example ---------------------------------------------------------------

EXAMPLE_SURVEY = [
    ("type", "name", "label::Indonesian (id)", "hint", "required", "relevant", "registry", "subject"),
    ("start", "mulai", "", "", "", "", "", ""),
    ("begin_group", "rumah", "Kondisi rumah", "", "", "", "", ""),
    ("select_one lantai", "jenis_lantai", "Jenis lantai terluas", "", "yes", "", "household.floor_material", ""),
    ("select_one listrik", "daya_listrik", "Daya listrik terpasang", "", "yes", "", "household.electricity_va", ""),
    ("select_one ya_tidak", "punya_motor", "Memiliki sepeda motor?", "", "yes", "", "household.asset_motorbike", ""),
    ("end_group", "", "", "", "", "", "", ""),
    ("begin_group", "kebutuhan", "Kebutuhan keluarga", "", "", "", "", ""),
    ("select_multiple kebutuhan", "kebutuhan_utama", "Kebutuhan utama keluarga", "Boleh lebih dari satu",
     "yes", "", "", ""),
    ("text", "kebutuhan_lain", "Sebutkan kebutuhan lainnya", "", "yes", "selected(${kebutuhan_utama}, 'lain')", "", ""),
    ("integer", "penghasilan", "Penghasilan keluarga per bulan (Rp)", "Angka saja", "no", "",
     "household.monthly_income", ""),
    ("end_group", "", "", "", "", "", "", ""),
    ("begin_group", "anggota", "Setiap anggota keluarga", "", "", "", "", ""),
    ("select_one status_kerja", "status_pekerjaan", "Status pekerjaan", "", "yes", "",
     "resident.employment_status", "resident"),
    ("text", "pekerjaan", "Pekerjaan utama", "", "no", "${status_pekerjaan} != 'unemployed'",
     "resident.occupation", "resident"),
    ("end_group", "", "", "", "", "", "", ""),
]
EXAMPLE_CHOICES = [
    ("list_name", "name", "label::Indonesian (id)"),
    ("lantai", "ceramic", "Keramik/granit/marmer"), ("lantai", "tile", "Ubin/tegel/teraso"),
    ("lantai", "cement", "Semen/bata merah"), ("lantai", "wood", "Kayu/papan"), ("lantai", "bamboo", "Bambu"),
    ("lantai", "earth", "Tanah"),
    ("listrik", "0", "Tidak ada"), ("listrik", "450", "450 VA"), ("listrik", "900", "900 VA"),
    ("listrik", "1300", "1.300 VA"), ("listrik", "2200", "2.200 VA"), ("listrik", "3500", "3.500 VA ke atas"),
    ("ya_tidak", "ya", "Ya"), ("ya_tidak", "tidak", "Tidak"),
    ("kebutuhan", "modal", "Modal usaha"), ("kebutuhan", "pelatihan", "Pelatihan kerja"),
    ("kebutuhan", "sekolah", "Biaya sekolah anak"), ("kebutuhan", "kesehatan", "Layanan kesehatan"),
    ("kebutuhan", "rumah", "Perbaikan rumah"), ("kebutuhan", "lain", "Lainnya"),
    ("status_kerja", "employee", "Buruh/karyawan/pegawai"), ("status_kerja", "self_employed", "Berusaha sendiri"),
    ("status_kerja", "casual", "Pekerja lepas/serabutan"), ("status_kerja", "unemployed", "Tidak bekerja, mencari kerja"),
    ("status_kerja", "homemaker", "Mengurus rumah tangga"), ("status_kerja", "student", "Pelajar/mahasiswa"),
    ("status_kerja", "retired", "Pensiun/lanjut usia"), ("status_kerja", "na", "Belum usia kerja"),
]
EXAMPLE_SETTINGS = [("form_title", "version"), ("Survei Kebutuhan Keluarga Duri Kepa", "1")]


def workbook_bytes(survey, choices, settings=EXAMPLE_SETTINGS) -> bytes:
    """An XLSForm workbook from rows (used for the example and by tests)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices is not None:
        sheet = workbook.create_sheet("choices")
        for row in choices:
            sheet.append(list(row))
    if settings is not None:
        sheet = workbook.create_sheet("settings")
        for row in settings:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def example_bytes() -> bytes:
    return workbook_bytes(EXAMPLE_SURVEY, EXAMPLE_CHOICES)

"""Education pages, phone-first: schools, a school's students, a student's months, the monthly
attendance sheet of a class, the CSV import with its report, the out-of-school list, a program's condition.
Thin: check the role, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.education import selectors
from bansos.education.access import can_program, can_student, require_student
from bansos.education.calendar import parse_month, previous_month, school_year_of
from bansos.education.forms import (
    ImportForm, SchoolForm, SheetChoiceForm, StudentEnrollForm, StudentStatusForm, TermsForm,
)
from bansos.education.models import School, SchoolLevel, StudentStatus
from bansos.education.services import importing, programs, schools, students
from bansos.education.services.attendance import attendance_record, terms_of

manage = perm_required(P.EDUCATION_MANAGE)


@manage
@domain_page
@require_http_methods(["GET"])
def index(request):
    level = request.GET.get("jenjang", "")
    return render(request, "education/index.html", {
        "schools": selectors.school_list(level=level if level in SchoolLevel.values else ""),
        "levels": SchoolLevel.choices, "level": level, "year": selectors.current_year(),
        "programs": selectors.education_programs(request.user),
    })


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def school_form(request, pk: int | None = None):
    school = get_object_or_404(School, pk=pk) if pk else None
    initial = {"is_active": True} if school is None else {
        k: getattr(school, k) for k in ("name", "level", "is_private", "npsn", "address", "is_active")}
    form = SchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, saved = form_attempt(form, lambda: schools.school_update(actor=request.user, school=school, data=data)
                                 if school else schools.school_create(actor=request.user, data=data))
        if ok:
            messages.success(request, _t("Data sekolah disimpan."))
            return redirect("education:school_detail", pk=saved.pk)
    return render(request, "education/school_form.html", {"form": form, "school": school},
                  status=400 if form.is_bound else 200)


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def school_detail(request, pk: int):
    from bansos.registry.models import Resident

    school = get_object_or_404(School, pk=pk)
    year = request.GET.get("tahun") or selectors.current_year()
    grade = request.GET.get("kelas", "")
    grade = int(grade) if grade.isdigit() else None
    form = StudentEnrollForm(request.POST or None, initial={"school_year": year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        resident = Resident.objects.filter(nik=d["nik"], status="active").first()
        if resident is None:
            form.add_error("nik", _t("Warga aktif dengan NIK ini tidak ditemukan di registri."))
        else:
            ok, student = form_attempt(form, lambda: students.student_enroll(
                actor=request.user, resident=resident, school=school, grade=d["grade"],
                school_year=d["school_year"], nisn=d["nisn"]), aliases={"resident": "nik"})
            if ok:
                messages.success(request, _t("Siswa dicatat."))
                return redirect("education:school_detail", pk=school.pk)
    page = Paginator(selectors.school_students(school, year=year, grade=grade), 50).get_page(request.GET.get("page"))
    return render(request, "education/school_detail.html", {
        "school": school, "year": year, "grade": grade, "grades": selectors.school_grades(school, year),
        "page": page, "form": form, "month": previous_month(timezone.localdate()).strftime("%Y-%m"),
        "query": f"tahun={year}" + (f"&kelas={grade}" if grade else ""),
    }, status=400 if form.is_bound else 200)


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def student_detail(request, pk: int):
    student = selectors.student_get(pk)
    # A child in another agency's education program: its attendance condition, warnings and stipends are that
    # agency's details (an officer learns only that the family is helped elsewhere), so the page is refused.
    require_student(request.user, student.resident_id)
    form = StudentStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _s = form_attempt(form, lambda: students.student_set_status(
            actor=request.user, student=student, status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Status siswa diubah."))
            return redirect("education:student_detail", pk=student.pk)
    resident = student.resident
    return render(request, "education/student_detail.html", {
        "student": student, "resident": resident, "records": selectors.student_records(resident.pk),
        "months": selectors.student_months(resident.pk), "events": selectors.student_events(resident.pk),
        "stipends": selectors.stipends(resident), "form": form,
        "can_change": can_student(request.user, resident.pk) and student.status == StudentStatus.ENROLLED,
    }, status=400 if form.is_bound else 200)


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def attendance_sheet(request, pk: int):
    """One class's attendance for one month: a row per student, saved together."""
    school = get_object_or_404(School, pk=pk)
    data = {"grade": request.GET.get("kelas", ""), "month": request.GET.get("bulan", "")}
    choice = SheetChoiceForm(data if any(data.values()) else None)
    if not choice.is_valid() or parse_month(choice.cleaned_data["month"]) is None:
        return render(request, "education/sheet_choose.html", {
            "school": school, "choice": choice, "grades": selectors.school_grades(school, selectors.current_year()),
            "month": previous_month(timezone.localdate()).strftime("%Y-%m")})
    grade, month = choice.cleaned_data["grade"], parse_month(choice.cleaned_data["month"])
    year = school_year_of(month)
    rows = selectors.attendance_sheet(school, year=year, grade=grade, month=month)
    errors: dict[int, str] = {}
    if request.method == "POST":
        default_days = request.POST.get("school_days", "")
        saved = 0
        for student, _row in rows:
            present = request.POST.get(f"present-{student.pk}", "").strip()
            days = request.POST.get(f"days-{student.pk}", "").strip() or default_days
            if present == "":
                continue
            try:
                attendance_record(actor=request.user, student=student, month=month, present_days=present,
                                  school_days=days)
                saved += 1
            except DomainError as exc:
                if exc.status == 403:
                    errors[student.pk] = _t("Peserta program lembaga lain: tidak dapat dicatat di sini.")
                else:
                    errors[student.pk] = " ".join(m for ms in (getattr(exc, "errors", None) or {"": [exc.text]})
                                                  .values() for m in ms)
        if saved:
            messages.success(request, _t("Kehadiran %(n)s siswa disimpan.") % {"n": saved})
        if not errors:
            return redirect(f"{request.path}?kelas={grade}&bulan={month:%Y-%m}")
        rows = selectors.attendance_sheet(school, year=year, grade=grade, month=month)
    return render(request, "education/sheet.html", {
        "school": school, "grade": grade, "month": month, "year": year, "post": request.POST,
        "rows": [(s, a, errors.get(s.pk)) for s, a in rows], "has_errors": bool(errors),
        "default_days": next((a.school_days for _s, a in rows if a), ""),
    }, status=400 if errors else 200)


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def attendance_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        ok, report = form_attempt(form, lambda: importing.attendance_import(
            actor=request.user, content=upload.read(importing.MAX_BYTES + 1), filename=upload.name))
    return render(request, "education/import.html", {"form": form, "report": report},
                  status=400 if form.is_bound and report is None else 200)


@manage
@domain_page
@require_http_methods(["GET"])
def out_of_school(request):
    from bansos.core.models import RW

    rw = request.GET.get("rw", "")
    rw = int(rw) if rw.isdigit() else None
    sort = request.GET.get("urut", "desil")
    rows = selectors.out_of_school(rw=rw, sort=sort)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page.object_list:
        b = row["birth_date"]
        row["age"] = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    return render(request, "education/out_of_school.html", {
        "page": page, "rws": RW.objects.order_by("number"), "rw": rw, "sort": sort,
        "sorts": [("desil", _t("Desil (termiskin dahulu)")), ("umur", _t("Umur (tertua dahulu)")),
                  ("nama", _t("Nama")), ("rt", _t("RW/RT"))],
        "programs": selectors.education_programs(request.user),
        "query": "&".join(x for x in (f"rw={rw}" if rw else "", f"urut={sort}") if x),
    })


@manage
@domain_page
@require_POST
def apply(request, resident_pk: int):
    from bansos.programs.models import Program
    from bansos.registry.models import Resident

    resident = get_object_or_404(Resident.objects.select_related("household"), pk=resident_pk)
    program = get_object_or_404(Program, pk=request.POST.get("program") or 0)
    try:
        programs.student_apply(actor=request.user, program=program, resident=resident)
        messages.success(request, _t("%(name)s didaftarkan ke %(program)s; lanjutkan verifikasi di halaman program.")
                         % {"name": resident.full_name, "program": program.name})
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.text)
    return redirect(request.POST.get("next") or "education:out_of_school")


@manage
@domain_page
@require_http_methods(["GET", "POST"])
def program_terms(request, pk: int):
    from bansos.programs.models import Program

    program = get_object_or_404(Program.objects.select_related("agency"), pk=pk, kind="education")
    terms = terms_of(program)
    form = TermsForm(request.POST or None, initial={"min_attendance": terms.min_attendance,
                                                    "misses_to_suspend": terms.misses_to_suspend,
                                                    "resume_on_pass": terms.resume_on_pass})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _t2 = form_attempt(form, lambda: programs.terms_set(
            actor=request.user, program=program, min_attendance=d["min_attendance"],
            misses_to_suspend=d["misses_to_suspend"], resume_on_pass=d["resume_on_pass"]))
        if ok:
            messages.success(request, _t("Syarat kehadiran disimpan."))
            return redirect("education:program_terms", pk=program.pk)
    from bansos.cash.models import CashScheme

    return render(request, "education/program_terms.html", {
        "program": program, "form": form, "can_change": can_program(request.user, program),
        "scheme": CashScheme.objects.filter(program=program).first(),
    }, status=400 if form.is_bound else 200)

"""Reports and exports (CSV, XLSX, PDF) of snapshot values.

Exports leave the staff interface, so cells of 1-4 households are always suppressed here, whoever
downloads (``point(..., reveal=False)``); the note column says so, and says when a past month was
computed from today's data.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _g

from bansos.monitoring import charts
from bansos.monitoring.models import Breakdown, Indicator, SnapshotValue
from bansos.monitoring.selectors import allowed_keys, labels_for, periods, point

HEADER = ("indikator", "nama", "satuan", "bulan", "rincian", "kunci", "label", "pembilang", "penyebut", "nilai",
          "keluarga", "catatan")


@dataclass
class Line:
    indicator: Indicator
    period: dt.date
    breakdown: str
    key: str
    label: str
    numerator: int | None
    denominator: int | None
    value: float | None
    households: int | None
    note: str


def _note(p) -> str:
    notes = []
    if p.hidden:
        notes.append(_g("disembunyikan: kurang dari 5 keluarga"))
    if p.from_current:
        notes.append(_g("dihitung dari data saat ini"))
    return "; ".join(notes)


def _lines(rows, labels: dict[tuple[str, str], str], indicators: dict[int, Indicator]) -> list[Line]:
    out = []
    for r in rows:
        p = point(r, reveal=False)
        out.append(Line(indicators[r.indicator_id], r.period, r.breakdown, r.key,
                        labels.get((r.breakdown, r.key), _g("Kelurahan")), p.numerator, p.denominator, p.value,
                        p.households, _note(p)))
    return out


def _label_map(rows) -> dict[tuple[str, str], str]:
    keys: dict[str, set[str]] = {}
    for r in rows:
        if r.breakdown != Breakdown.TOTAL:
            keys.setdefault(r.breakdown, set()).add(r.key)
    out = {}
    for breakdown, ks in keys.items():
        for k, label in labels_for(breakdown, sorted(ks)).items():
            out[(breakdown, k)] = label
    return out


def scope_table(*, user, kind: str, key: str = "", until: dt.date | None = None) -> list[Line]:
    """The report of a scope: every month of its own cells; the kelurahan adds its RWs of the last month."""
    shown = periods(until=until)
    if not shown:
        return []
    indicators = {i.pk: i for i in Indicator.objects.filter(is_active=True)}
    allowed = allowed_keys(user, kind)
    qs = SnapshotValue.objects.filter(period__in=shown, indicator_id__in=indicators)
    if kind == Breakdown.TOTAL:
        rows = list(qs.filter(breakdown="total")) + list(qs.filter(breakdown="rw", period=shown[-1]))
    elif kind == Breakdown.FUNDING:
        from bansos.programs.models import Allocation

        funded = {str(p) for p in Allocation.objects.filter(source_id=key).values_list("program_id", flat=True)}
        if allowed is not None:
            funded &= {str(p) for p in allowed_keys(user, Breakdown.PROGRAM) or set()}
        rows = list(qs.filter(breakdown="funding", key=key)) + list(
            qs.filter(breakdown="program", key__in=funded, indicator__area="budget"))
    else:
        if allowed is not None and key not in allowed:
            return []
        rows = list(qs.filter(breakdown=kind, key=key))
    rows.sort(key=lambda r: (indicators[r.indicator_id].order, indicators[r.indicator_id].code, r.breakdown,
                             r.key, r.period))
    return _lines(rows, _label_map(rows), indicators)


def indicator_table(*, user, indicator: Indicator, breakdown: str, until: dt.date | None = None) -> list[Line]:
    shown = periods(until=until)
    if not shown:
        return []
    allowed = allowed_keys(user, breakdown)
    qs = SnapshotValue.objects.filter(indicator=indicator, period__in=shown)
    rows = list(qs.filter(breakdown="total").order_by("period"))
    rows += sorted((r for r in qs.filter(breakdown=breakdown, period=shown[-1])
                    if allowed is None or r.key in allowed), key=lambda r: (len(r.key), r.key))
    return _lines(rows, _label_map(rows), {indicator.pk: indicator})


def _cells(line: Line) -> list:
    return [line.indicator.code, str(line.indicator.name), str(line.indicator.get_unit_display()),
            line.period.strftime("%Y-%m"), str(dict(Breakdown.choices).get(line.breakdown, line.breakdown)),
            line.key, str(line.label), line.numerator, line.denominator, line.value, line.households, line.note]


def csv_rows(lines: list[Line]):
    yield HEADER
    for line in lines:
        yield ["" if v is None else v for v in _cells(line)]


def xlsx_bytes(lines: list[Line], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_g("Indikator"))
    sheet.append([title])
    sheet.append(list(HEADER))
    for line in lines:
        sheet.append(_cells(line))
    info = book.create_sheet(title=_g("Definisi"))
    info.append(["indikator", "nama", "definisi", "satuan", "arah", "target", "tanggal target"])
    seen = []
    for line in lines:
        if line.indicator not in seen:
            seen.append(line.indicator)
    for i in seen:
        info.append([i.code, str(i.name), str(i.definition), str(i.get_unit_display()),
                     str(i.get_direction_display()), i.target, i.target_date])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[Line], title: str) -> bytes:
    """A PDF of the report: per indicator its latest value, target and a small bar trend, then the table."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _latin(_g("Dibuat %(when)s. Sel dengan kurang dari 5 keluarga disembunyikan.")
                                % {"when": dt.date.today().isoformat()}), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    by_indicator: dict[int, list[Line]] = {}
    for line in lines:
        by_indicator.setdefault(line.indicator.pk, []).append(line)
    for group in by_indicator.values():
        indicator = group[0].indicator
        totals = [line for line in group if line.breakdown in ("total", group[0].breakdown)
                  and line.key == group[0].key]
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 5, _latin(indicator.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        latest = totals[-1] if totals else None
        pdf.multi_cell(0, 4, _latin(_g("Terakhir: %(v)s · target: %(t)s") % {
            "v": charts.fmt_number(latest.value if latest else None, indicator.unit),
            "t": charts.fmt_number(indicator.target, indicator.unit)}), new_x="LMARGIN", new_y="NEXT")
        _pdf_bars(pdf, [(line.period.strftime("%m/%y"), line.value) for line in totals])
        for line in group:
            if line not in totals:
                pdf.cell(80, 4, _latin(line.label[:48]))
                pdf.cell(40, 4, _latin(charts.fmt_number(line.value, indicator.unit)))
                pdf.cell(0, 4, _latin(line.note), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _pdf_bars(pdf, points: list[tuple[str, float | None]]) -> None:
    values = [v for _l, v in points if v is not None]
    if not values:
        return
    top = max(values) or 1.0
    x0, y0, h, w = pdf.get_x(), pdf.get_y(), 16.0, 9.0
    if y0 + h + 6 > pdf.h - 14:
        pdf.add_page()
        x0, y0 = pdf.get_x(), pdf.get_y()
    pdf.set_fill_color(31, 111, 139)
    pdf.set_font("Helvetica", "", 6)
    for i, (label, v) in enumerate(points[-18:]):
        x = x0 + i * (w + 1)
        if v is not None and v > 0:
            bh = h * v / top
            pdf.rect(x, y0 + h - bh, w, bh, style="F")
        pdf.text(x, y0 + h + 3, label)
    pdf.set_xy(x0, y0 + h + 5)
    pdf.set_font("Helvetica", "", 8)


def _latin(text: str) -> str:
    """The core PDF fonts are Latin-1: replace what they cannot draw."""
    return str(text).replace("–", "-").replace("·", "-").encode("latin-1", "replace").decode("latin-1")

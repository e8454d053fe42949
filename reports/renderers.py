"""Renderers: turn a report's sections into a CSV, XLSX or PDF file, streaming row by row.

Every value is written as reports.formats says (ISO 8601 UTC timestamps, the public clinician id,
labels). CSV goes through csv.writer straight to the open file, except that on PostgreSQL a section
that carries its queryset is written by `COPY (<its SELECT>) TO STDOUT` into the same file: the same
bytes, without a Python round trip per value. A CSV holds one table; several tables go in a ZIP of
CSV files. XLSX uses openpyxl's write-only workbook (rows are serialised as they come) with real
date cells, column widths from the first rows, a frozen header and filters; PDF uses reportlab's
platypus with charts drawn by reportlab's own graphics (vector, no image library). Only the PDF
holds its (small, aggregated) tables in memory.

openpyxl and reportlab are imported by the renderer that uses them: this module is loaded by every
process (admin and forms import the report services), and those imports took most of a second of
each start, more than a CSV export of 100k rows spends writing on PostgreSQL.
"""

import csv
import datetime as dt
import io
import itertools
import math
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import connections
from django.db.models import QuerySet

from core.spreadsheet import FORMULA_TRIGGERS, cell_safe
from reports.formats import spreadsheet_value, text_value

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

ProgressCallback = Callable[[int], None]


@dataclass
class Section:
    """One titled table of a report; `rows` may be a one-shot iterator (streamed) or a list.

    `copy_query`, when given, is the queryset `rows` comes from, selecting every value as the file's
    text (formula triggers already neutralised, empty text as NULL): on PostgreSQL the CSV renderer
    COPYs its SELECT instead of iterating `rows`.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    expected_rows: int = 0
    copy_query: QuerySet | None = None
    chart: str = ""  # "bar" or "line": plot column 1 against column 0 in the PDF
    chart_title: str = ""  # default: "<column 1> by <column 0>"
    empty_text: str = "No data in this period."  # the PDF's line for a section without rows
    note: str = ""
    sheet_name: str = ""
    column_widths: list[float] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]


def render_csv(document: Document, out: IO[str], progress: ProgressCallback) -> int:
    """Write the one table of the document (a header row, then its rows)."""
    if len(document.sections) != 1:
        raise ValueError("A CSV file holds one table: use render_csv_zip for several.")
    return _write_csv_section(document.sections[0], out, 0, progress)


def render_csv_zip(document: Document, path: str | Path, progress: ProgressCallback) -> int:
    """A ZIP of CSV files, one per section, named by position and title (01-verification-queue.csv)."""
    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, section in enumerate(document.sections, start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-") or "table"
            with (
                archive.open(f"{index:02d}-{slug}.csv", "w") as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as out,
            ):
                written = _write_csv_section(section, out, written, progress)
    return written


def _write_csv_section(section: Section, out: IO[str], written: int, progress: ProgressCallback) -> int:
    writer = csv.writer(out)
    writer.writerow([cell_safe(h) for h in section.headers])
    if section.copy_query is not None and connections[section.copy_query.db].vendor == "postgresql":
        return _copy_csv(section.copy_query, out, written, progress)
    for row in section.rows:
        writer.writerow(_text_row(row))
        written += 1
        progress(written)
    return written


def _text_row(row: Sequence) -> list:
    """A row as CSV text: formula triggers neutralised (core.spreadsheet), timestamps, days and ids in
    their one format (reports.formats). Inlined: this runs once per exported row."""
    return [
        ("'" + v if v[:1] in FORMULA_TRIGGERS else v)
        if isinstance(v, str)
        else (text_value(v) if isinstance(v, dt.date | uuid.UUID) else v)
        for v in row
    ]


def _sheet_row(row: Sequence) -> list:
    """A row as XLSX cells: like _text_row, but dates and timestamps stay real date cells."""
    return [
        ("'" + v if v[:1] in FORMULA_TRIGGERS else v)
        if isinstance(v, str)
        else (spreadsheet_value(v) if isinstance(v, dt.datetime | uuid.UUID) else v)
        for v in row
    ]


def queryset_sql(queryset: QuerySet) -> str:
    """The queryset's SELECT with its parameters bound by the driver (psycopg2's mogrify), for COPY."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


class _CopyRows(io.TextIOBase):
    """The target of COPY ... TO STDOUT: passes each row on to the CSV file and counts it.

    psycopg2 writes decoded text to a TextIOBase, one call per row (libpq returns COPY data a whole row
    at a time), so a call is a row even when a quoted value holds line breaks. COPY ends a row with
    "\n" where csv.writer (and RFC 4180) ends it with "\r\n"; the ending is swapped so both paths
    write the same bytes.
    """

    def __init__(self, out: IO[str], written: int, progress: ProgressCallback | None) -> None:
        self.out = out
        self.written = written
        self.progress = progress

    def writable(self) -> bool:
        return True

    def write(self, row: str) -> int:
        self.out.write(row[:-1] + "\r\n")
        self.written += 1
        if self.progress is not None:
            self.progress(self.written)
        return len(row)


def _copy_csv(queryset: QuerySet, out: IO[str], written: int, progress: ProgressCallback) -> int:
    """COPY the queryset's SELECT as CSV into `out` after what is written so far; return the new total.

    A connection streaming COPY can run nothing else until it ends, and the progress callback may
    write to the database (the worker stores the percent). So COPY runs on a connection of its own,
    and the callback keeps the usual one. Inside a transaction a second connection would not see its
    uncommitted rows: there COPY runs on the transaction's connection and progress is reported once
    it ends.
    """
    sql = f"COPY ({queryset_sql(queryset)}) TO STDOUT WITH (FORMAT csv)"
    if connections[queryset.db].in_atomic_block:
        target = _CopyRows(out, written, progress=None)
        with connections[queryset.db].cursor() as cursor:
            cursor.cursor.copy_expert(sql, target)
        progress(target.written)
        return target.written
    target = _CopyRows(out, written, progress)
    copying = connections.create_connection(queryset.db)
    try:
        with copying.cursor() as cursor:
            cursor.cursor.copy_expert(sql, target)
    finally:
        copying.close()
    return target.written


# Rows read ahead of writing to size each column (a streaming sheet takes widths before any row).
WIDTH_SAMPLE_ROWS = 200
DATE_FORMAT = "yyyy-mm-dd"
TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"


def render_xlsx(document: Document, path: str, progress: ProgressCallback) -> int:
    """One worksheet per section, written with openpyxl's write-only (streaming) workbook: a bold
    frozen header with filters, columns as wide as their first rows, dates as real date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    written = 0
    used: set[str] = set()
    for section in document.sections:
        sheet = workbook.create_sheet(title=_sheet_title(section.sheet_name or section.title, used))
        rows = iter(section.rows)
        sample = [_sheet_row(row) for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
        sheet.freeze_panes = "A2"
        for index, width in enumerate(_column_widths(section.headers, sample), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_row = []
        for header in section.headers:
            cell = WriteOnlyCell(sheet, value=cell_safe(header))
            cell.font = Font(bold=True)
            header_row.append(cell)
        sheet.append(header_row)
        count = 0
        for cells in itertools.chain(sample, (_sheet_row(row) for row in rows)):
            sheet.append([_date_cell(sheet, v, WriteOnlyCell) if isinstance(v, dt.date) else v for v in cells])
            count += 1
            written += 1
            progress(written)
        if section.headers:
            # Filters on every column of the header and rows written.
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.headers))}{count + 1}"
    workbook.save(path)
    return written


def _date_cell(sheet, value: dt.date, cell_class):
    cell = cell_class(sheet, value=value)
    cell.number_format = TIMESTAMP_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
    return cell


def _column_widths(headers: Sequence[str], sample: list[list]) -> list[float]:
    """Characters per column: the longest of the header and the sampled values, 10 to 60."""
    widths = []
    for index, header in enumerate(headers):
        longest = len(str(header))
        for row in sample:
            value = row[index] if index < len(row) else None
            if isinstance(value, dt.datetime):
                length = 19
            elif isinstance(value, int | float | Decimal):
                length = len(f"{value:,}")
            else:
                length = len(str(value)) if value is not None else 0
            longest = max(longest, length)
        widths.append(max(10, min(60, longest + 2)))
    return widths


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


PDF_BLUE = "#1f4e79"


def render_pdf(document: Document, out: IO[bytes], progress: ProgressCallback) -> int:
    """A landscape A4 document: each section's heading (with its note) stays on the page of its chart,
    or of its table's first rows; numbers are right-aligned, tables repeat their header row."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    heading = ParagraphStyle("SectionHeading", parent=styles["Heading2"], keepWithNext=1)
    # Long text wraps in a paragraph, at the table's own size.
    styles.add(ParagraphStyle("TableCell", parent=styles["BodyText"], fontSize=8, leading=10))
    note = ParagraphStyle("SectionNote", parent=styles["Italic"], keepWithNext=1)
    pdf = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        title=document.title,
        author="Advocacy Portal",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    story: list = [
        Paragraph(_escape(document.title), styles["Title"]),
        Paragraph(_escape(document.subtitle), styles["Normal"]),
    ]
    written = 0
    for section in document.sections:
        rows = [list(r) for r in section.rows]
        written += len(rows)
        story.append(Spacer(1, 0.6 * cm))
        lead = [Paragraph(_escape(section.title), heading)]
        if section.note:
            lead.append(Paragraph(_escape(section.note), note))
        if not rows:
            story.append(KeepTogether([*lead, Paragraph(_escape(section.empty_text), styles["Normal"])]))
            progress(written)
            continue
        if section.chart:
            story.append(KeepTogether([*lead, _chart(section, rows, width=pdf.width), Spacer(1, 0.3 * cm)]))
            lead = []
        numeric = _numeric_columns(rows)
        table = Table(
            [
                [
                    Paragraph(_escape(h), _header_style(styles, right=i in numeric))
                    for i, h in enumerate(section.headers)
                ],
                *[[_pdf_cell(v, styles) for v in r] for r in rows],
            ],
            repeatRows=1,
        )
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(PDF_BLUE)),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa9b8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        commands += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in sorted(numeric)]
        table.setStyle(TableStyle(commands))
        # A heading without a chart is kept with its table (which splits across pages when long).
        story.append(KeepTogether([*lead, table]) if lead else table)
        progress(written)
    pdf.build(story)
    return written


def _numeric_columns(rows: list[list]) -> set[int]:
    """Columns whose values are all numbers (empty cells aside): right-aligned in the PDF."""
    width = max(len(row) for row in rows)
    numeric = set()
    for column in range(width):
        values = [row[column] for row in rows if column < len(row) and row[column] is not None]
        if values and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
            numeric.add(column)
    return numeric


def _header_style(styles, *, right: bool):
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        "TableHeaderRight" if right else "TableHeader",
        parent=styles["BodyText"],
        fontName="Helvetica-Bold",
        fontSize=8,
        leading=10,
        textColor="#ffffff",
        alignment=TA_RIGHT if right else 0,
    )


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_cell(value, styles):
    from reportlab.platypus import Paragraph

    if isinstance(value, str) and len(value) > 40:
        return Paragraph(_escape(value), styles["TableCell"])
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,}"
    return str(text_value(value))


def _chart(section: Section, rows: list[list], *, width: float) -> "Drawing":
    """Column 1 against column 0, drawn with reportlab's graphics (vector): horizontal bars (labels
    read on the left, largest first) or a line over time, with the chart's title above it."""
    from reportlab.graphics.shapes import Drawing, String

    labels = [str(text_value(r[0])) for r in rows]
    values = [r[1] or 0 for r in rows]
    top = max(values) or 1
    if section.chart == "line":
        height = 200.0
        drawing = Drawing(width, height)
        drawing.add(_line_chart(labels, values, top, width=width, height=height))
    else:
        height = 40.0 + 18.0 * len(rows)
        drawing = Drawing(width, height)
        drawing.add(_bar_chart(labels, values, top, width=width, height=height))
    drawing.add(
        String(
            width / 2,
            height - 12,
            section.chart_title or f"{section.headers[1]} by {section.headers[0].lower()}",
            fontName="Helvetica-Bold",
            fontSize=9,
            textAnchor="middle",
        )
    )
    return drawing


def _value_axis(axis, top: float) -> None:
    """From 0 in about five round whole steps (1, 2 or 5 times a power of ten) past the largest value."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude))
    axis.valueMin = 0
    axis.valueStep = step
    axis.valueMax = step * math.ceil(top / step)
    axis.labels.fontName = "Helvetica"
    axis.labels.fontSize = 7
    axis.labelTextFormat = lambda value: f"{value:,.0f}"


def _bar_chart(labels: list[str], values: list, top: float, *, width: float, height: float):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.lib import colors

    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 25
    chart.width, chart.height = width - 230, height - 50
    # The chart draws its first category at the bottom: reversed, the table's first row is on top.
    chart.data = [values[::-1]]
    chart.categoryAxis.categoryNames = labels[::-1]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -6
    _value_axis(chart.valueAxis, top)
    chart.bars[0].fillColor = colors.HexColor(PDF_BLUE)
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda value: f"{value:,.0f}"
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    return chart


def _line_chart(labels: list[str], values: list, top: float, *, width: float, height: float):
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors

    chart = HorizontalLineChart()
    chart.x, chart.y = 50, 55
    chart.width, chart.height = width - 80, height - 80
    chart.data = [values]
    # At most about 16 dates under the axis, so they never overlap; every point is still drawn.
    step = max(1, -(-len(labels) // 16))
    chart.categoryAxis.categoryNames = [label if i % step == 0 else "" for i, label in enumerate(labels)]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    _value_axis(chart.valueAxis, top)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d5dde6")
    chart.lines[0].strokeColor = colors.HexColor(PDF_BLUE)
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=colors.HexColor(PDF_BLUE))
    return chart

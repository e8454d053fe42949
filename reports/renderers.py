"""Renderers: turn a report's sections into a CSV, XLSX or PDF file, streaming row by row.

CSV goes through csv.writer straight to the open file, except that on PostgreSQL a section that
carries its queryset is written by `COPY (<its SELECT>) TO STDOUT` into the same file: the same bytes,
without a Python round trip per value. XLSX uses openpyxl's write-only workbook (rows are serialised
as they come); PDF uses reportlab's platypus with matplotlib charts rendered to PNG in memory. Only
the PDF holds its (small, aggregated) tables in memory.

openpyxl, reportlab and matplotlib (with numpy) are imported by the renderer that uses them: this
module is loaded by every process (admin and forms import the report services), and those imports
took 0.8 s of each start, more than a CSV export of 100k rows spends writing on PostgreSQL.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.db import connections
from django.db.models import QuerySet

from core.spreadsheet import cell_safe, row_safe

if TYPE_CHECKING:
    from reportlab.platypus import Image

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
    note: str = ""
    sheet_name: str = ""
    column_widths: list[float] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]


def render_csv(document: Document, out: IO[str], progress: ProgressCallback) -> int:
    """Write the sections one after another; a multi-section CSV separates them with a title row."""
    writer = csv.writer(out)
    written = 0
    several = len(document.sections) > 1
    for index, section in enumerate(document.sections):
        if several:
            if index:
                writer.writerow([])
            writer.writerow([cell_safe(section.title)])
        writer.writerow([cell_safe(h) for h in section.headers])
        if section.copy_query is not None and connections[section.copy_query.db].vendor == "postgresql":
            written = _copy_csv(section.copy_query, out, written, progress)
            continue
        for row in section.rows:
            writer.writerow(row_safe(row))
            written += 1
            progress(written)
    return written


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


def render_xlsx(document: Document, path: str, progress: ProgressCallback) -> int:
    """One worksheet per section, written with openpyxl's write-only (streaming) workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    written = 0
    used: set[str] = set()
    for section in document.sections:
        sheet = workbook.create_sheet(title=_sheet_title(section.sheet_name or section.title, used))
        # Set before the first row (a streaming sheet writes them ahead of the rows): the header stays
        # in view while scrolling and each column is as wide as its header, at least 12 characters.
        sheet.freeze_panes = "A2"
        for index, header in enumerate(section.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(str(header)) + 4))
        header_row = []
        for header in section.headers:
            cell = WriteOnlyCell(sheet, value=cell_safe(header))
            cell.font = Font(bold=True)
            header_row.append(cell)
        sheet.append(header_row)
        count = 0
        for row in section.rows:
            sheet.append(row_safe(row))
            count += 1
            written += 1
            progress(written)
        if section.headers:
            # Filters on every column of the header and rows written.
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.headers))}{count + 1}"
    workbook.save(path)
    return written


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def render_pdf(document: Document, out: IO[bytes], progress: ProgressCallback) -> int:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
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
        story += [Spacer(1, 0.6 * cm), Paragraph(_escape(section.title), styles["Heading2"])]
        if section.note:
            story.append(Paragraph(_escape(section.note), styles["Italic"]))
        if not rows:
            story.append(Paragraph("No data in this period.", styles["Normal"]))
            progress(written)
            continue
        if section.chart:
            story.append(_chart(section, rows))
        table = Table([list(section.headers), *[[_pdf_cell(v, styles) for v in r] for r in rows]], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa9b8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        progress(written)
    pdf.build(story)
    return written


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_cell(value, styles):
    from reportlab.platypus import Paragraph

    if isinstance(value, str) and len(value) > 40:
        return Paragraph(_escape(value), styles["BodyText"])
    return "" if value is None else (f"{value:,}" if isinstance(value, int) else str(value))


def _chart(section: Section, rows: list[list]) -> "Image":
    """A bar or line chart of column 1 against column 0, as an in-memory PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from reportlab.lib.units import cm
    from reportlab.platypus import Image

    labels = [str(r[0]) for r in rows]
    values = [r[1] or 0 for r in rows]
    figure, axes = pyplot.subplots(figsize=(9, 3.2), dpi=120)
    try:
        if section.chart == "line":
            axes.plot(labels, values, marker="o", color="#1f4e79")
            axes.tick_params(axis="x", labelrotation=45, labelsize=7)
        else:
            axes.barh(labels[::-1], values[::-1], color="#1f4e79")
            axes.tick_params(axis="y", labelsize=7)
        axes.set_title(f"{section.headers[1]} — {section.title}", fontsize=9)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        pyplot.close(figure)
    buffer.seek(0)
    return Image(buffer, width=24 * cm, height=24 * cm * 3.2 / 9)

"""Builders: which sections each report kind contains, and writing a kind's file in a format.

The worker (reports.services.report_build) and `manage.py generate_report` both call
`report_file_write`, so the command produces exactly the file the portal would.

A CSV file holds one table: a kind with several tables (verification, learning) is delivered as a
ZIP of CSV files, one per table (`report_file_extension` says which).
"""

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from reports import selectors
from reports.formats import CLINICIAN_ID_HEADER
from reports.models import ReportFormat, ReportKind
from reports.renderers import Document, Section, render_csv, render_csv_zip, render_pdf, render_xlsx
from reports.selectors import ReportScope

KIND_FORMATS: dict[str, list[str]] = {
    ReportKind.ADVOCACY_SUMMARY: [ReportFormat.PDF, ReportFormat.XLSX],
    ReportKind.CAMPAIGN: [ReportFormat.PDF, ReportFormat.XLSX],
    ReportKind.POINTS_ROSTER: [ReportFormat.CSV, ReportFormat.XLSX],
    ReportKind.VERIFICATION: [ReportFormat.CSV, ReportFormat.XLSX, ReportFormat.PDF],
    ReportKind.ACTIVITY_EXPORT: [ReportFormat.CSV, ReportFormat.XLSX],
    ReportKind.LEARNING: [ReportFormat.CSV, ReportFormat.XLSX, ReportFormat.PDF],
}

# Kinds whose CSV is a ZIP of one CSV per table.
CSV_ZIP_KINDS = frozenset({ReportKind.VERIFICATION, ReportKind.LEARNING})

StageCallback = Callable[[str], None]


def report_file_extension(*, kind: str, format: str) -> str:
    """The extension of the file a kind is delivered in: the format's, or "zip" for CSV tables."""
    return "zip" if format == ReportFormat.CSV and kind in CSV_ZIP_KINDS else format


class ReportBuildError(ValueError):
    """The request cannot be built as asked (unsupported format, missing campaign...)."""


def _summary_sections(scope: ReportScope) -> list[Section]:
    return [
        Section("Overview", ["Measure", "Value"], selectors.summary_overview(scope=scope)),
        Section(
            "Activities by category",
            ["Category", "Accepted activities", "Reach"],
            selectors.summary_by_category(scope=scope),
            chart="bar",
            sheet_name="By category",
        ),
        Section(
            "Activities by platform",
            ["Platform", "Accepted activities", "Reach"],
            selectors.summary_by_platform(scope=scope),
            chart="bar",
            sheet_name="By platform",
        ),
        Section(
            "Campaign outcomes against goals",
            [
                "Campaign",
                "Starts on",
                "Ends on",
                "Goal",
                "Target",
                "Achieved",
                "% of goal",
                "Accepted posts",
                "Reach",
                "Tracked-link clicks",
            ],
            selectors.summary_campaign_outcomes(scope=scope),
            note="Achieved counts accepted posts (or their impressions) in the report period. Tracked-link "
            "clicks count every click on the campaign's short links since they were made (clicks are not dated).",
            sheet_name="Campaigns",
        ),
        Section(
            "Distribution by specialty",
            ["Specialty", "Active clinicians", "Accepted activities", "Reach"],
            selectors.summary_by_specialty(scope=scope),
            sheet_name="By specialty",
        ),
        Section(
            "Distribution by state",
            ["State", "Active clinicians", "Accepted activities", "Reach"],
            selectors.summary_by_state(scope=scope),
            sheet_name="By state",
        ),
        Section(
            "Top contributors",
            [
                "Rank",
                CLINICIAN_ID_HEADER,
                "Clinician",
                "Specialty",
                "State",
                "Accepted activities",
                "Reach",
                "Points",
                "Tracked-link clicks",
            ],
            selectors.summary_top_contributors(scope=scope),
            note="Only clinicians who opted in to appear on leaderboards are named.",
            sheet_name="Top contributors",
        ),
        Section(
            "Trend by week",
            ["Week starting", "Accepted activities", "Reach", "Active clinicians"],
            selectors.summary_weekly_trend(scope=scope),
            chart="line",
            chart_title="Accepted activities per week",
            sheet_name="Weekly trend",
        ),
    ]


def _summary_document(scope: ReportScope, stage: StageCallback) -> Document:
    stage("Computing the summary figures")
    return Document("Advocacy summary", scope.describe(), _summary_sections(scope))


def _campaign_document(scope: ReportScope, stage: StageCallback) -> Document:
    if scope.campaign is None:
        raise ReportBuildError("A campaign report needs a campaign.")
    stage("Computing the campaign figures")
    campaign = scope.campaign
    sections = _summary_sections(scope)
    sections[0].rows = [
        ("Campaign", campaign.title),
        ("Summary", campaign.summary),
        ("Starts on", campaign.starts_on),
        ("Ends on", campaign.ends_on),
        *sections[0].rows,
    ]
    # Goal progress leads the report; the outcomes table already holds exactly this campaign.
    goal = sections.pop(3)
    goal.title, goal.sheet_name = "Goal progress", "Goal progress"
    sections.insert(1, goal)
    sections.insert(
        2,
        Section(
            "Tracked-link clicks by evidence link",
            ["Evidence link", "Clinicians with a tracked link", "Clicks"],
            selectors.campaign_tracked_links(scope=scope),
            note="Clicks on the short links (/l/<code>) members share, since each link was made.",
            empty_text="No member has a tracked link to this campaign's evidence yet.",
            sheet_name="Tracked links",
        ),
    )
    return Document(f"Campaign report: {campaign.title}", scope.describe(), sections)


def _points_roster_document(scope: ReportScope, stage: StageCallback) -> Document:
    stage("Counting clinicians")
    total = selectors.points_roster_count(scope=scope)
    stage("Writing the roster")
    rows = selectors.points_roster_rows(scope=scope)
    return Document(
        "Points roster",
        scope.describe(),
        [Section("Points roster", selectors.POINTS_ROSTER_HEADERS, rows, expected_rows=total)],
    )


def _verification_document(scope: ReportScope, stage: StageCallback) -> Document:
    stage("Measuring the verification queue")
    now = timezone.now()
    today = selectors.today_utc()
    expiring_total = selectors.credentials_expiring_count(scope=scope, today=today)
    queue = selectors.verification_queue(scope=scope, now=now)
    decisions = selectors.verification_decisions(scope=scope)
    return Document(
        "Verification report",
        scope.describe(),
        [
            Section(
                "Verification queue", ["Status", "Credentials", "Oldest submitted (UTC)", "Oldest age (days)"], queue
            ),
            Section("Decisions in the period", ["Decision", "Count"], decisions, sheet_name="Decisions"),
            Section(
                "Credentials expiring soon",
                [CLINICIAN_ID_HEADER, "Clinician", "Email", "Kind", "Issuer", "Expires on", "Days left", "Kind code"],
                selectors.credentials_expiring_rows(scope=scope, today=today),
                expected_rows=expiring_total + len(queue) + len(decisions),
                sheet_name="Expiring soon",
            ),
        ],
    )


def _activity_export_document(scope: ReportScope, stage: StageCallback) -> Document:
    stage("Counting activities")
    total = selectors.activity_export_count(scope=scope)
    stage("Writing activities")
    return Document(
        "Activity export",
        scope.describe(),
        [
            Section(
                "Activities",
                selectors.ACTIVITY_EXPORT_HEADERS,
                selectors.activity_export_rows(scope=scope),
                expected_rows=total,
                copy_query=selectors.activity_export_queryset(scope=scope),
            )
        ],
    )


def _learning_document(scope: ReportScope, stage: StageCallback) -> Document:
    stage("Counting completions and attempts")
    completions = selectors.learning_completions(scope=scope)
    pass_rates = selectors.learning_pass_rates(scope=scope)
    missed = selectors.learning_missed_questions(scope=scope)
    return Document(
        "Learning report",
        scope.describe(),
        [
            Section("Completions", selectors.LEARNING_COMPLETION_HEADERS, completions),
            Section("Pass rates", selectors.LEARNING_PASS_RATE_HEADERS, pass_rates),
            Section(
                "Most-missed questions",
                selectors.LEARNING_MISSED_HEADERS,
                missed,
                sheet_name="Most missed",
                note="The questions answered wrongly most often: candidates for a clearer lesson.",
            ),
        ],
    )


DOCUMENT_BUILDERS = {
    ReportKind.ADVOCACY_SUMMARY: _summary_document,
    ReportKind.CAMPAIGN: _campaign_document,
    ReportKind.POINTS_ROSTER: _points_roster_document,
    ReportKind.VERIFICATION: _verification_document,
    ReportKind.ACTIVITY_EXPORT: _activity_export_document,
    ReportKind.LEARNING: _learning_document,
}


def report_file_write(
    *,
    kind: str,
    format: str,
    parameters: dict,
    path: Path,
    on_stage: StageCallback,
    on_progress: Callable[[int, int], None],
) -> int:
    """Build the report into `path`; return the number of data rows written.

    on_progress(rows_written, rows_expected) is called per row; the caller throttles it.
    """
    if format not in KIND_FORMATS.get(kind, []):
        raise ReportBuildError(f"A {kind} report cannot be produced as {format}.")
    scope = selectors.report_scope(parameters=parameters)
    document = DOCUMENT_BUILDERS[kind](scope, on_stage)
    expected = sum(s.expected_rows or _known_length(s.rows) for s in document.sections) or 1
    on_stage(f"Writing {format.upper()}")

    def progress(written: int) -> None:
        on_progress(written, expected)

    if format == ReportFormat.CSV and kind in CSV_ZIP_KINDS:
        return render_csv_zip(document, path, progress)
    if format == ReportFormat.CSV:
        with open(path, "w", newline="", encoding="utf-8") as out:
            return render_csv(document, out, progress)
    if format == ReportFormat.XLSX:
        return render_xlsx(document, str(path), progress)
    with open(path, "wb") as out:
        return render_pdf(document, out, progress)


def _known_length(rows) -> int:
    return len(rows) if isinstance(rows, list | tuple) else 0

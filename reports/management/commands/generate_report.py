"""Build a report synchronously from the command line, with the same builders the worker uses."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.builders import KIND_FORMATS, ReportBuildError, report_file_write
from reports.forms import preset_period
from reports.models import ReportFormat, ReportKind
from reports.selectors import ScopeError, today_utc

PERIODS = {
    "last-month": "last_month",
    "this-month": "this_month",
    "last-30-days": "last_30_days",
    "year-to-date": "year_to_date",
}


class Command(BaseCommand):
    help = "Write a report file (the same file the portal's worker builds) to --output."
    # An operator's export, run against a deployed database; the checks belong to deployment.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--format", required=True, choices=ReportFormat.values)
        parser.add_argument("--start", help="First day, YYYY-MM-DD (with --end).")
        parser.add_argument("--end", help="Last day, YYYY-MM-DD, inclusive (with --start).")
        parser.add_argument("--period", choices=sorted(PERIODS), help="A named period instead of --start/--end.")
        parser.add_argument("--campaign", help="Campaign slug.")
        parser.add_argument("--specialty", help="Specialty code, e.g. cardiology.")
        parser.add_argument("--state", help="Two-letter US state code.")
        parser.add_argument(
            "--output",
            required=True,
            help="Path of the file to write (a ZIP of CSV files when a CSV report has several tables).",
        )

    def handle(self, *args, **options) -> None:
        kind, fmt = options["kind"], options["format"]
        if fmt not in KIND_FORMATS[kind]:
            raise CommandError(f"{kind} is available as {', '.join(KIND_FORMATS[kind])} only.")
        if options["period"] and (options["start"] or options["end"]):
            raise CommandError("Give either --period or --start/--end, not both.")
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("--start and --end go together.")
            start, end = options["start"], options["end"]
        else:
            first, last = preset_period(PERIODS[options["period"] or "last-month"], today_utc())
            start, end = first.isoformat(), last.isoformat()
        parameters = {"start": start, "end": end}
        for key in ("campaign", "specialty", "state"):
            if options[key]:
                parameters[key] = options[key]
        output = Path(options["output"])
        try:
            rows = report_file_write(
                kind=kind,
                format=fmt,
                parameters=parameters,
                path=output,
                on_stage=lambda stage: self.stderr.write(stage) if options["verbosity"] > 1 else None,
                on_progress=lambda written, expected: None,
            )
        except (ScopeError, ReportBuildError) as exc:
            output.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {rows} rows to {output} ({output.stat().st_size} bytes).")

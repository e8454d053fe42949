"""The report request form: validates kind, format, period and filters, and normalises them to parameters."""

import datetime as dt

from django import forms

from clinicians.forms import US_STATES
from clinicians.models import Specialty
from reports.builders import KIND_FORMATS
from reports.models import ReportFormat, ReportKind
from reports.selectors import EARLIEST_REPORT_DAY, campaign_choices, period_problem, today_utc

PRESETS = [
    ("last_month", "Last month"),
    ("this_month", "This month so far"),
    ("last_30_days", "Last 30 days"),
    ("year_to_date", "Year to date"),
    ("campaign_dates", "The campaign's own dates"),
    ("custom", "Custom dates"),
]


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The inclusive start and end days of a named period."""
    if preset == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_30_days":
        return today - dt.timedelta(days=29), today
    if preset == "year_to_date":
        return today.replace(month=1, day=1), today
    raise ValueError(f"unknown preset {preset!r}")


def formats_help() -> str:
    return "; ".join(
        f"{ReportKind(kind).label}: {', '.join(ReportFormat(f).label for f in formats)}"
        for kind, formats in KIND_FORMATS.items()
    )


KNOWN_STATES = frozenset(code for code, _ in US_STATES)


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=ReportKind.choices, initial=ReportKind.ADVOCACY_SUMMARY)
    format = forms.ChoiceField(
        label="Format", choices=ReportFormat.choices, initial=ReportFormat.PDF, help_text=formats_help()
    )
    period = forms.ChoiceField(label="Period", choices=PRESETS, initial="last_month")
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="For custom dates."
    )
    end = forms.DateField(
        label="To (inclusive)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For custom dates.",
    )
    campaign = forms.ModelChoiceField(
        label="Campaign",
        queryset=campaign_choices(),
        required=False,
        to_field_name="slug",
        empty_label="All campaigns",
        help_text="Required for a campaign report.",
    )
    specialty = forms.ChoiceField(
        label="Specialty", choices=[("", "All specialties"), *Specialty.choices], required=False
    )
    state = forms.CharField(
        label="US state",
        required=False,
        max_length=2,
        help_text="Two-letter code, e.g. IL. Leave empty for all states.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 2}),
    )

    def clean_state(self) -> str:
        state = self.cleaned_data["state"].strip().upper()
        if state and state not in KNOWN_STATES:
            raise forms.ValidationError(
                f"“{state}” is not a US state code: enter one such as IL or CA, or leave it empty."
            )
        return state

    def clean(self) -> dict:
        data = super().clean()
        kind, fmt = data.get("kind"), data.get("format")
        if kind and fmt and fmt not in KIND_FORMATS[kind]:
            allowed = ", ".join(ReportFormat(f).label for f in KIND_FORMATS[kind])
            self.add_error("format", f"{ReportKind(kind).label} is available as {allowed} only.")
        if kind == ReportKind.CAMPAIGN and not data.get("campaign"):
            self.add_error("campaign", "Choose the campaign this report is about.")
        if data.get("period") == "campaign_dates" and not data.get("campaign"):
            self.add_error("period", "Choose a campaign to use its dates.")
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", "Enter the first day of the period.")
            if not end:
                self.add_error("end", "Enter the last day of the period.")
            if start and start > today_utc():
                self.add_error("start", "The period starts after today: nothing has been posted in it yet.")
            elif start and end and end < start:
                self.add_error("end", "The last day must be on or after the first day.")
            elif start and end and (problem := period_problem(start, end)):
                self.add_error("start" if start < EARLIEST_REPORT_DAY else "end", problem)
        campaign = data.get("campaign")
        if data.get("period") == "campaign_dates" and campaign:
            problem = period_problem(campaign.starts_on, campaign.ends_on)
            if problem:
                self.add_error("period", f"The campaign's dates cannot be reported on. {problem}")
        return data

    def parameters(self) -> dict:
        """The normalised parameters stored on the report (dates resolved from the preset)."""
        data = self.cleaned_data
        if data["period"] == "custom":
            start, end = data["start"], data["end"]
        elif data["period"] == "campaign_dates":
            start, end = data["campaign"].starts_on, data["campaign"].ends_on
        else:
            start, end = preset_period(data["period"], today_utc())
        parameters = {"preset": data["period"], "start": start.isoformat(), "end": end.isoformat()}
        if data.get("campaign"):
            parameters["campaign"] = data["campaign"].slug
        for key in ("specialty", "state"):
            if data.get(key):
                parameters[key] = data[key]
        return parameters

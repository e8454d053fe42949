"""Turn selector output into chart data for static/js/charts.js (vendored Chart.js).

A chart is a plain dict: an id, a title, a summary sentence (the canvas's accessible name), the
Chart.js type and data, and the same figures as table rows for screen readers. Colours come from
one teal-based palette, each with at least 3:1 contrast against white (WCAG 1.4.11, graphics).
"""

import datetime as dt

from campaigns.models import Category
from clinicians.models import Platform

# Teal first (the portal's accent), then hues that stay distinct for common colour-vision
# deficiencies. All are dark enough for 3:1 against the white card background.
PALETTE = [
    "#0f766e",
    "#1d4ed8",
    "#b45309",
    "#7e22ce",
    "#be123c",
    "#15803d",
    "#0369a1",
    "#a16207",
    "#4d7c0f",
    "#9d174d",
    "#475569",
]
PRIMARY = PALETTE[0]


def _summary(title: str, rows: list[tuple[str, int]], unit: str) -> str:
    total = sum(value for _, value in rows)
    if not rows or total == 0:
        return f"{title}: no {unit} yet."
    top_label, top_value = max(rows, key=lambda row: row[1])
    return f"{title}: {total} {unit} in total; highest {top_label} with {top_value}."


def weekly_chart(*, chart_id: str, title: str, series: list[tuple[dt.date, int]], unit: str) -> dict:
    """A bar per ISO week, labelled by the week's Monday."""
    rows = [(f"{monday:%d %b}", value) for monday, value in series]
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "title": title,
        "unit": unit,
        "label_heading": "Week starting",
        "summary": _summary(title, [(f"the week of {label}", value) for label, value in rows], unit),
        "rows": rows,
        "config": {
            "type": "bar",
            "labels": [label for label, _ in rows],
            "datasets": [{"label": unit.capitalize(), "data": [value for _, value in rows], "color": PRIMARY}],
            "horizontal": False,
        },
    }


def mix_chart(
    *, chart_id: str, title: str, rows: list[tuple[str, int]], unit: str, label_heading: str, all_labels: list[str]
) -> dict:
    """Horizontal bars (long category names stay readable on a phone). An item's colour follows its
    place in `all_labels` (e.g. every category), so it is the same on every chart and dashboard."""
    positions = {label: index for index, label in enumerate(all_labels)}
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "title": title,
        "unit": unit,
        "label_heading": label_heading,
        "summary": _summary(title, rows, unit),
        "rows": rows,
        "config": {
            "type": "bar",
            "labels": [label for label, _ in rows],
            "datasets": [
                {
                    "label": unit.capitalize(),
                    "data": [value for _, value in rows],
                    "colors": [PALETTE[positions.get(label, 0) % len(PALETTE)] for label, _ in rows],
                }
            ],
            "horizontal": True,
        },
    }


def clinician_dashboard_charts(data) -> list[dict]:
    """The clinician dashboard's charts: points per week, and accepted activities by category and platform."""
    return [
        weekly_chart(
            chart_id="chart-points-weekly",
            title="Points per week, last 26 weeks",
            series=data.weekly_points,
            unit="points",
        ),
        mix_chart(
            chart_id="chart-my-categories",
            title="Accepted activities by category",
            rows=data.by_category,
            unit="activities",
            label_heading="Category",
            all_labels=Category.labels,
        ),
        mix_chart(
            chart_id="chart-my-platforms",
            title="Accepted activities by platform",
            rows=data.by_platform,
            unit="activities",
            label_heading="Platform",
            all_labels=Platform.labels,
        ),
    ]


def staff_dashboard_charts(data) -> list[dict]:
    """The staff dashboard's charts: accepted activities per week, and the category and platform mix."""
    return [
        weekly_chart(
            chart_id="chart-activities-weekly",
            title="Accepted activities per week, last 26 weeks",
            series=data.weekly_activities,
            unit="activities",
        ),
        mix_chart(
            chart_id="chart-categories",
            title="Category mix, last 26 weeks",
            rows=data.by_category,
            unit="activities",
            label_heading="Category",
            all_labels=Category.labels,
        ),
        mix_chart(
            chart_id="chart-platforms",
            title="Platform mix, last 26 weeks",
            rows=data.by_platform,
            unit="activities",
            label_heading="Platform",
            all_labels=Platform.labels,
        ),
    ]

"""The chart module: Chart.js data, table rows and an accessible summary from selector output."""

import datetime as dt

from advocacy_portal.charts import PALETTE, PRIMARY, mix_chart, weekly_chart


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_palette_colour_has_graphics_contrast_against_white():
    for colour in PALETTE:
        assert (1.05) / (_relative_luminance(colour) + 0.05) >= 3, colour


def test_weekly_chart_keeps_weeks_in_order_with_table_rows_and_summary():
    series = [(dt.date(2026, 11, 2), 0), (dt.date(2026, 11, 9), 12), (dt.date(2026, 11, 16), 5)]
    chart = weekly_chart(chart_id="c", title="Points per week", series=series, unit="points")
    assert chart["config"]["labels"] == ["02 Nov", "09 Nov", "16 Nov"]
    assert chart["config"]["datasets"][0]["data"] == [0, 12, 5]
    assert chart["config"]["datasets"][0]["color"] == PRIMARY
    assert chart["rows"] == [("02 Nov", 0), ("09 Nov", 12), ("16 Nov", 5)]
    assert chart["summary"] == "Points per week: 17 points in total; highest the week of 09 Nov with 12."
    assert chart["data_id"] == "c-data"


def test_mix_chart_gives_each_item_the_same_colour_whatever_its_place():
    labels = ["Public education", "Recruitment", "Research"]
    first = mix_chart(
        chart_id="a",
        title="Mix",
        rows=[("Public education", 4), ("Research", 1)],
        unit="activities",
        label_heading="Category",
        all_labels=labels,
    )
    second = mix_chart(
        chart_id="b",
        title="Mix",
        rows=[("Research", 9), ("Public education", 2)],
        unit="activities",
        label_heading="Category",
        all_labels=labels,
    )
    assert first["config"]["datasets"][0]["colors"] == [PALETTE[0], PALETTE[2]]
    assert second["config"]["datasets"][0]["colors"] == [PALETTE[2], PALETTE[0]]
    assert first["config"]["horizontal"] is True


def test_an_empty_chart_says_so():
    chart = mix_chart(chart_id="a", title="Mix", rows=[], unit="activities", label_heading="Category", all_labels=[])
    assert chart["summary"] == "Mix: no activities yet."

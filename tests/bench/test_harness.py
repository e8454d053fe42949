"""The benchmark harness's own parts: the floor queries count what they should, the table prints."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from bench.floors import export_floor, export_period_for, recompute_floor
from bench.run import _growth, _table
from campaigns.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    if connection.vendor != "postgresql":
        pytest.skip("the floors are PostgreSQL queries (COPY, jsonb); run with DATABASE_URL=postgres://...")
    call_command("seed_demo", "--seed", "3", "--clinicians=40", "--activities=400")


def test_the_recompute_floor_ranks_every_verified_clinician_with_accepted_posts(seeded):
    expected = (
        Activity.objects.filter(status="accepted", clinician__verification_status="verified")
        .values("clinician")
        .distinct()
        .count()
    )
    assert recompute_floor(repeat=1).rows == expected


def test_the_export_floor_copies_every_activity_of_the_period(seeded):
    start, end = export_period_for(Activity.objects.count())
    assert export_floor(start=start, end=end, repeat=1).rows == Activity.objects.count()
    small_start, _ = export_period_for(50)
    assert small_start >= start
    assert export_floor(start=small_start, end=end, repeat=1).rows >= 50


def test_the_table_shows_missing_commands_as_not_available():
    result = {
        "recompute": {"floor_seconds": 1.5, "floor_rows": 10, "status": "not available"},
        "growth": {},
        "event_path": {"status": "not available"},
        "pages": [{"path": "/points/", "as": "clinician", "status": "not available (404)", "queries": 0}],
        "timestamp": dt.datetime.now(tz=dt.UTC).isoformat(),
    }
    rows = _table(result)
    assert ("recompute_scores, steady state (nightly run)", "not available", "1.500 s", "-", "goal <= 3x at 1M") in rows
    assert any(row[0] == "GET /points/ (clinician)" and row[1] == "not available (404)" for row in rows)


def test_growth_compares_the_smallest_and_largest_scale(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.run.RESULTS", tmp_path)
    (tmp_path / "20260101T000000Z.json").write_text(
        '{"scale": 100000, "recompute": {"floor_seconds": 0.5, "seconds": 1.0, "status": "measured"}}'
    )
    growth = _growth({"scale": 1000000, "recompute": {"floor_seconds": 5.0, "seconds": 11.0, "status": "measured"}})
    assert list(growth["by_scale"]) == ["100000", "1000000"]
    assert growth["rows_ratio"] == 10
    assert growth["floor_time_ratio"] == pytest.approx(10)
    assert growth["recompute_time_ratio"] == pytest.approx(11)


def test_the_privacy_guard_row_scans_a_full_length_post_and_shows_its_rate():
    from bench.privacy_guard import POST_CHARACTERS, post_text, privacy_guard_measure

    assert len(post_text()) == POST_CHARACTERS == 5000
    figures = privacy_guard_measure(scans=3, warmup=1)
    assert figures["characters"] == 5000 and figures["hits"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    rows = _table({"privacy_guard": figures, "growth": {}})
    assert rows[0][0] == "privacy guard, 5,000-character post"
    assert rows[0][2].endswith("scans/s")

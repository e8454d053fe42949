"""The benchmark's goal table: stable keys in bench/results/latest.json, and README in step with it."""

import json

import pytest

from bench import summary

KEYS = [
    "recompute_steady_state",
    "recompute_growth",
    "event_path",
    "pages",
    "seed",
    "csv_export",
    "database_size",
]


def _result() -> dict:
    return {
        "timestamp": "2026-12-01T18:00:00+00:00",
        "scale": 1_000_000,
        "counts": {"activities": 1_000_000, "clinicians": 50_000},
        "machine": {"cpus": 2, "postgresql": "15"},
        "recompute": {"status": "measured", "floor_seconds": 1.0, "work_seconds": 2.5, "ratio": 2.5},
        "growth": {
            "by_scale": {"100000": {}, "1000000": {}},
            "rows_ratio": 10.0,
            "recompute_time_ratio": 8.0,
            "floor_time_ratio": 7.0,
        },
        "event_path": {"status": "measured", "p50_seconds": 0.05, "p95_seconds": 0.2, "queries_per_award": [6, 6, 7]},
        "pages": [
            {"path": "/healthz", "as": "anonymous", "p95_us": 5000, "requests_per_second": 400.0},
            {"path": "/dashboard/", "as": "admin", "p95_us": 90_000, "throughput_ratio_to_healthz": 0.3},
            {"path": "/points/", "as": "clinician", "p95_us": 160_000, "throughput_ratio_to_healthz": 0.2},
        ],
        "seed": {"status": "measured", "seconds": 540.0, "activities": 10_000_000, "clinicians": 500_000},
        "exports": {
            "full": {
                "rows": 1_000_000,
                "floor_seconds": 4.0,
                "csv": {"status": "measured", "seconds": 5.0, "ratio": 1.25},
            },
            "rss_ratio_full_to_10k": 1.0,
        },
        "database_size": {"bytes_per_activity": 1234.5, "total_bytes": 1, "tables": {}, "indexes": {}},
    }


def test_every_goal_has_a_stable_key_with_value_floor_ratio_goal_and_met():
    goals = summary.goals_summarise(_result())
    assert list(goals) == KEYS
    for row in goals.values():
        assert {"value", "floor", "ratio", "goal", "met"} <= set(row)
    assert goals["recompute_steady_state"]["met"] is True
    assert goals["recompute_growth"]["met"] is True
    # One award ran seven queries: the goal is missed even though p95 is well under a second.
    assert (goals["event_path"]["queries_per_award"], goals["event_path"]["met"]) == (7, False)
    # The worst page decides: /points/ is over 150 ms and under 0.25x.
    assert (goals["pages"]["value"], goals["pages"]["ratio"], goals["pages"]["met"]) == (160.0, 0.2, False)
    assert goals["seed"]["met"] is True
    assert goals["csv_export"]["met"] is True


def test_a_goal_the_run_did_not_measure_says_so_and_is_not_met_or_missed():
    result = _result()
    del result["event_path"], result["database_size"]
    result["seed"] = {"status": "not run"}
    goals = summary.goals_summarise(result)
    assert list(goals) == KEYS
    for key in ("event_path", "seed", "database_size"):
        assert goals[key]["met"] is None
        assert goals[key]["value"] is None


def test_the_readme_table_names_every_key():
    result = _result()
    result["goals"] = summary.goals_summarise(result)
    table = summary.readme_table(result)
    for key in KEYS:
        assert f"`{key}`" in table
    assert "`/points/ (clinician)`" in table


def test_the_readme_shows_the_committed_latest_json():
    if not summary.LATEST.exists():
        pytest.skip("no bench/results/latest.json committed yet")
    result = json.loads(summary.LATEST.read_text())
    assert list(result["goals"]) == KEYS
    assert summary.main(["--check"]) == 0

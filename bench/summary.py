"""The goal table of a benchmark run: one stable key per goal, and the README's "Latest figures".

``goals_summarise(result)`` reads the figures of one run (``bench.run``) and returns, under keys
that never change between runs, ``value`` (with its ``unit``), ``floor`` where the goal has one,
``ratio``, ``goal`` (the text) and ``met`` (a bool, or None when the run did not measure it).
``readme_table(summary)`` renders them as the Markdown table that README "Latest figures" holds
between its two markers; ``python -m bench.summary --write`` puts it there from
``bench/results/latest.json`` and ``--check`` says whether the README is in step (a test runs it).
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATEST = ROOT / "bench" / "results" / "latest.json"
README = ROOT / "README.md"
BEGIN = "<!-- bench:latest-figures:begin (python -m bench.summary --write) -->"
END = "<!-- bench:latest-figures:end -->"

# One row of issue 16's goal table each; the order is the table's.
GOALS = {
    "recompute_steady_state": "<= 3x the floor (at 1M, steady state; the nightly run)",
    "recompute_growth": "<= 10x for 10x rows (no worse than linear)",
    "event_path": "p95 < 1 s, <= 6 queries per award",
    "pages": "every page p95 < 150 ms and throughput >= 0.25x /healthz",
    "seed": "10M activities / 500k clinicians in < 10 minutes",
    "csv_export": "<= 1.5x the COPY floor, flat worker memory (<= 1.25x of 10k rows)",
    "database_size": "reported per activity, justified index by index",
}
PAGE_P95_MS = 150.0
PAGE_THROUGHPUT_RATIO = 0.25
SEED_SECONDS = 600.0


def _row(key: str, *, value=None, unit: str = "", floor=None, ratio=None, met=None, **details) -> dict:
    return {"value": value, "unit": unit, "floor": floor, "ratio": ratio, "goal": GOALS[key], "met": met, **details}


def _recompute(result: dict) -> dict:
    recompute = result.get("recompute") or {}
    if recompute.get("status") != "measured":
        return _row("recompute_steady_state", status=recompute.get("status", "not run"))
    ratio = recompute.get("ratio")
    return _row(
        "recompute_steady_state",
        value=recompute.get("work_seconds"),
        unit="s",
        floor=recompute.get("floor_seconds"),
        ratio=ratio,
        met=ratio is not None and ratio <= 3.0,
        scale=result.get("scale"),
        mode=recompute.get("mode", "full"),
        full_seconds=(recompute.get("full") or {}).get("work_seconds"),
        full_ratio=(recompute.get("full") or {}).get("ratio"),
    )


def _growth(result: dict) -> dict:
    growth = result.get("growth") or {}
    if "rows_ratio" not in growth:
        return _row("recompute_growth", status="needs runs at two scales")
    value = growth.get("recompute_time_ratio")
    rows = growth["rows_ratio"]
    return _row(
        "recompute_growth",
        value=value,
        unit="x",
        floor=growth.get("floor_time_ratio"),
        ratio=value / rows if value is not None else None,
        met=value is not None and value <= rows,
        rows_ratio=rows,
        scales=list(growth.get("by_scale", {})),
    )


def _event_path(result: dict) -> dict:
    event = result.get("event_path") or {}
    if event.get("status") != "measured":
        return _row("event_path", status=event.get("status", "not run"))
    queries = max(event.get("queries_per_award") or [0])
    p95 = event["p95_seconds"]
    return _row(
        "event_path",
        value=p95,
        unit="s",
        ratio=None,
        met=p95 < 1.0 and queries <= 6,
        queries_per_award=queries,
        p50=event.get("p50_seconds"),
        events=event.get("events"),
    )


def _pages(result: dict) -> dict:
    pages = [p for p in result.get("pages") or [] if p.get("path") != "/healthz"]
    measured = [p for p in pages if "p95_us" in p]
    if not measured:
        return _row("pages", status="not run")
    worst_p95 = max(p["p95_us"] for p in measured) / 1000
    worst_ratio = min(p.get("throughput_ratio_to_healthz") or 0 for p in measured)
    healthz = next((p for p in result["pages"] if p.get("path") == "/healthz"), {})
    each = {
        f"{p['path']} ({p['as']})": {
            "p95_ms": round(p["p95_us"] / 1000, 1),
            "ratio": round(p.get("throughput_ratio_to_healthz") or 0, 3),
            "queries": p.get("queries"),
            "errors": p.get("non_2xx", 0) + p.get("socket_errors", 0),
        }
        for p in measured
    }
    missing = [p["path"] for p in pages if "p95_us" not in p]
    return _row(
        "pages",
        value=worst_p95,
        unit="ms (worst p95)",
        floor=healthz.get("requests_per_second"),
        ratio=worst_ratio,
        met=worst_p95 < PAGE_P95_MS and worst_ratio >= PAGE_THROUGHPUT_RATIO and not missing,
        pages=each,
        not_measured=missing,
    )


def _seed(result: dict) -> dict:
    seed = result.get("seed") or {}
    if seed.get("status") != "measured":
        return _row("seed", status=seed.get("status", "not run"))
    seconds = seed["seconds"]
    activities = seed.get("activities") or 0
    # The goal is for 10M: smaller loads are scaled linearly to it (stated as such).
    projected = seconds * 10_000_000 / activities if activities else None
    return _row(
        "seed",
        value=seconds,
        unit="s",
        ratio=seconds / SEED_SECONDS if activities >= 10_000_000 else None,
        met=(seconds < SEED_SECONDS) if activities >= 10_000_000 else None,
        activities=activities,
        clinicians=seed.get("clinicians"),
        projected_10m_seconds=projected,
        measured_at=seed.get("measured_at"),
    )


def _csv(result: dict) -> dict:
    exports = result.get("exports") or {}
    full = exports.get("full") or {}
    csv = full.get("csv") or {}
    if csv.get("status") != "measured":
        return _row("csv_export", status=csv.get("status", "not run"))
    ratio = csv.get("ratio")
    rss = exports.get("rss_ratio_full_to_10k")
    return _row(
        "csv_export",
        value=csv["seconds"],
        unit="s",
        floor=full.get("floor_seconds"),
        ratio=ratio,
        met=ratio is not None and ratio <= 1.5 and rss is not None and rss <= 1.25,
        rows=full.get("rows"),
        rss_ratio_full_to_10k=rss,
        peak_rss_mb=csv.get("max_rss_mb"),
    )


def _size(result: dict) -> dict:
    size = result.get("database_size") or {}
    if "bytes_per_activity" not in size:
        return _row("database_size", status="not run")
    return _row(
        "database_size",
        value=size["bytes_per_activity"],
        unit="bytes per activity",
        met=True,
        total_bytes=size.get("total_bytes"),
        tables=size.get("tables"),
        indexes=size.get("indexes"),
    )


def goals_summarise(result: dict) -> dict:
    """{goal key: row} for every goal of issue 16, in its table's order."""
    return {
        "recompute_steady_state": _recompute(result),
        "recompute_growth": _growth(result),
        "event_path": _event_path(result),
        "pages": _pages(result),
        "seed": _seed(result),
        "csv_export": _csv(result),
        "database_size": _size(result),
    }


def _number(value, unit: str = "") -> str:
    if value is None:
        return "-"
    if not isinstance(value, float):
        return f"{value:,} {unit}".strip()
    text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def _met(row: dict) -> str:
    return {True: "yes", False: "**no**", None: "-"}[row.get("met")]


def readme_table(result: dict) -> str:
    """The Markdown block README "Latest figures" holds (between the markers)."""
    goals = result["goals"]
    counts = result.get("counts", {})
    machine = result.get("machine", {})
    lines = [
        BEGIN,
        f"Run of {result.get('timestamp', '?')[:16].replace('T', ' ')} UTC (`bench/results/latest.json`): "
        f"{counts.get('activities', 0):,} activities, {counts.get('clinicians', 0):,} clinicians; "
        f"{machine.get('cpus', '?')} CPUs, PostgreSQL {machine.get('postgresql', '?')}.",
        "",
        "| key | value | floor | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for key, row in goals.items():
        value = _number(row["value"], row.get("unit", "")) if row.get("value") is not None else row.get("status", "-")
        if key == "recompute_steady_state" and row.get("value") is not None:
            full = f"{_number(row.get('full_seconds'), 's')} = {_number(row.get('full_ratio'), 'x')}"
            value += f" ({row['mode']}); full run {full}"
        if key == "event_path" and row.get("value") is not None:
            value += f", {row['queries_per_award']} queries per award"
        if key == "seed" and row.get("value") is not None:
            value += f" for {row['activities']:,} activities"
        if key == "csv_export" and row.get("value") is not None:
            value += f" for {row['rows']:,} rows; RSS {_number(row.get('rss_ratio_full_to_10k'), 'x')} of 10k"
        floor = _number(row.get("floor"), "req/s" if key == "pages" else ("x" if key == "recompute_growth" else "s"))
        ratio = _number(row.get("ratio"), "x" if key != "pages" else "x /healthz")
        lines.append(f"| `{key}` | {value} | {floor} | {ratio} | {row['goal']} | {_met(row)} |")
    pages = goals.get("pages", {}).get("pages") or {}
    if pages:
        lines += ["", "| page | p95 | throughput vs /healthz | queries | errors |", "| --- | --- | --- | --- | --- |"]
        for page, figures in pages.items():
            p95, ratio, queries, errors = (figures[k] for k in ("p95_ms", "ratio", "queries", "errors"))
            lines.append(f"| `{page}` | {p95} ms | {ratio}x | {queries} | {errors} |")
    lines.append(END)
    return "\n".join(lines)


def readme_with(text: str, block: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="Rewrite README's block from latest.json.")
    action.add_argument("--check", action="store_true", help="Exit 1 when README's block differs.")
    options = parser.parse_args(argv)
    result = json.loads(LATEST.read_text())
    text = README.read_text()
    wanted = readme_with(text, readme_table(result))
    if options.write:
        README.write_text(wanted)
        return 0
    if wanted != text:
        print("README 'Latest figures' differs from bench/results/latest.json: run python -m bench.summary --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench.run` (`make bench`): measure the seeded PostgreSQL database, print one table, write JSON.

Load data first, e.g.
    python manage.py seed_demo --clinicians 50000 --activities 1000000 --seed 1 --reset
    python -m bench.run --activities 1000000
Run once at each scale (100000 and 1000000, reseeding with --reset between); every run is written to
bench/results/<timestamp>.json and bench/results/latest.json, and the growth row compares the latest
result of each scale label found there. Benchmarks print figures; they never fail on a time.
"""

import argparse
import datetime as dt
import json
import logging
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
RECOMPUTE_COMMAND = "recompute_scores"
REPORT_COMMAND = "generate_report"
EXPORT_KIND = "activity_export"
SUMMARY_KIND = "advocacy_summary"
SMALL_EXPORT_ROWS = 10_000
MIDDLE_EXPORT_ROWS = 100_000
# XLSX of 1M rows takes ~15 min on a 2-CPU machine; it is measured up to this many rows only.
XLSX_MAX_ROWS = 100_000
DEFAULT_CACHE = "redis://127.0.0.1:6379/11"
DEFAULT_BROKER = "redis://127.0.0.1:6379/12"


def _environment() -> dict[str, str]:
    """Production settings (DEBUG off, a real secret) on plain loopback HTTP, shared with every child."""
    return {
        "DJANGO_SETTINGS_MODULE": "advocacy_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        # Pages only render {% static %} URLs here (wrk never fetches assets), so no collectstatic manifest.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        # The event path needs a real broker; the live worker and this process share it.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Production caches in Redis (sessions, campaign totals, rate limits).
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_CACHE,
        # Awards send tier and badge emails; the console backend would print them over the table.
        "EMAIL_URL": "dummymail://",
    }


def _measure_command(arguments: list[str]) -> dict:
    """Run `manage.py <arguments>` in a fresh helper process: wall time, exit code, peak RSS."""
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.child", "--", sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(completed.stdout)
    figures["command"] = "manage.py " + " ".join(arguments)
    if figures["returncode"] != 0:
        figures["status"] = f"failed (exit {figures['returncode']})"
    else:
        figures["status"] = "measured"
    return figures


def _command_available(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        "0",
    )
    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": server_version,
        "platform": platform.platform(),
    }


def _counts() -> dict:
    from campaigns.models import Activity
    from clinicians.models import Clinician

    return {"activities": Activity.objects.count(), "clinicians": Clinician.objects.count()}


def _ratio(value: float | None, floor: float | None) -> float | None:
    return value / floor if value is not None and floor else None


def _seed(clinicians: int, activities: int, started: dt.datetime) -> dict:
    """Reseed the database (``seed_demo --reset``) in a helper process and time it."""
    figures = _measure_command(
        ["seed_demo", "--clinicians", str(clinicians), "--activities", str(activities), "--seed", "1", "--reset"]
    )
    figures.update(clinicians=clinicians, activities=activities, measured_at=started.isoformat())
    return figures


def _seed_carried() -> dict:
    """Without --seed-clinicians: the largest timed seed found in earlier results (the goal is for
    10M activities; a 10M reseed takes ten minutes, so it is not repeated on every run)."""
    best: dict = {}
    for path in sorted(RESULTS.glob("2*.json")):
        try:
            seed = json.loads(path.read_text()).get("seed") or {}
        except (OSError, ValueError):
            continue
        if seed.get("status") == "measured" and seed.get("activities", 0) >= best.get("activities", 0):
            best = seed
    return best or {"status": "not run (pass --seed-clinicians to time a reseed)"}


def _work_seconds(figures: dict) -> float | None:
    """The command's own figure (printed by it): the floor is timed inside a running process, and
    the command's wall time adds Python and Django starting up."""
    if figures.get("status") != "measured":
        return None
    work = re.search(r"in ([0-9.]+) s\.", figures.get("stdout_tail", ""))
    return float(work.group(1)) if work else figures["seconds"]


def _vacuum() -> dict:
    """VACUUM (ANALYZE) the database, as autovacuum would soon after the first run's ledger writes:
    the steady state has statistics and visibility maps (this server may run with autovacuum off,
    and then the planner would see the new ledger tables as empty)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
    return {"seconds": time.perf_counter() - started, "server_autovacuum": autovacuum}


def _recompute(repeat: int) -> dict:
    """The floor, then three runs: a full one (it may write correcting entries), the nightly run in
    steady state (incremental: the clinician-weeks touched since the previous run, here none), which
    is the figure compared to the floor, and a full one in steady state (the audit)."""
    from bench.floors import recompute_floor

    floor = recompute_floor(repeat=repeat)
    result = {"floor_seconds": floor.seconds, "floor_rows": floor.rows}
    if not _command_available(RECOMPUTE_COMMAND):
        result["status"] = "not available"
        return result
    first = _measure_command([RECOMPUTE_COMMAND, "--full"])
    result["first"] = first
    result["first_ratio"] = _ratio(first["seconds"], floor.seconds) if first["status"] == "measured" else None
    result["vacuum"] = _vacuum()
    result.update(_measure_command([RECOMPUTE_COMMAND]))
    result["mode"] = "incremental" if "(incremental" in result.get("stdout_tail", "") else "full"
    if result["status"] == "measured":
        result["work_seconds"] = _work_seconds(result)
        result["ratio"] = _ratio(result["work_seconds"], floor.seconds)
        result["wall_ratio"] = _ratio(result["seconds"], floor.seconds)
    full = _measure_command([RECOMPUTE_COMMAND, "--full"])
    full["work_seconds"] = _work_seconds(full)
    full["ratio"] = _ratio(full["work_seconds"], floor.seconds)
    result["full"] = full
    return result


def _exports(repeat: int, total_activities: int) -> dict:
    from bench.floors import export_floor, export_period_for

    available = _command_available(REPORT_COMMAND)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        sizes = [("10k", SMALL_EXPORT_ROWS)]
        if total_activities >= 2 * MIDDLE_EXPORT_ROWS:
            sizes.append(("100k", MIDDLE_EXPORT_ROWS))
        sizes.append(("full", total_activities))
        for label, rows in sizes:
            start, end = export_period_for(rows)
            floor = export_floor(start=start, end=end, repeat=repeat)
            period = ["--start", start.isoformat(), "--end", end.isoformat()]
            entry = {"start": start.isoformat(), "end": end.isoformat(), "rows": floor.rows}
            entry["floor_seconds"] = floor.seconds
            for fmt, kind in (("csv", EXPORT_KIND), ("xlsx", EXPORT_KIND), ("pdf", SUMMARY_KIND)):
                if not available:
                    entry[fmt] = {"status": "not available"}
                    continue
                if fmt == "xlsx" and floor.rows > XLSX_MAX_ROWS:
                    entry[fmt] = {"status": f"not run: > {XLSX_MAX_ROWS:,} rows (~15 min at 1M)"}
                    continue
                output = str(Path(folder) / f"{kind}-{label}.{fmt}")
                figures = _measure_command([REPORT_COMMAND, kind, "--format", fmt, *period, "--output", output])
                if fmt == "csv" and figures["status"] == "measured":
                    figures["ratio"] = _ratio(figures["seconds"], floor.seconds)
                entry[fmt] = figures
            results[label] = entry
    small, full = results["10k"]["csv"], results["full"]["csv"]
    if "max_rss_mb" in small and "max_rss_mb" in full:
        results["rss_ratio_full_to_10k"] = full["max_rss_mb"] / small["max_rss_mb"]
    return results


def _growth(current: dict) -> dict:
    """Latest recompute and floor figures per scale label, from every result file plus this run."""
    latest: dict[str, dict] = {}
    for path in sorted(RESULTS.glob("2*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if "recompute" in data and data.get("scale") and data["recompute"].get("status") == "measured":
            latest[str(data["scale"])] = data["recompute"]
    if "recompute" in current:
        latest[str(current["scale"])] = current["recompute"]
    scales = sorted(latest, key=int)
    growth = {"by_scale": {scale: latest[scale] for scale in scales}}
    if len(scales) >= 2:
        small, large = latest[scales[0]], latest[scales[-1]]
        growth["rows_ratio"] = int(scales[-1]) / int(scales[0])
        growth["floor_time_ratio"] = _ratio(large.get("floor_seconds"), small.get("floor_seconds"))
        growth["recompute_time_ratio"] = _ratio(
            large.get("work_seconds", large.get("seconds")), small.get("work_seconds", small.get("seconds"))
        )
    return growth


def _format(value, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}{unit}"
    return f"{value}{unit}"


def _table(result: dict) -> list[tuple[str, str, str, str, str]]:
    rows = []
    recompute = result.get("recompute")
    if recompute:
        rows.append(("recompute floor (SQL GROUP BY + RANK)", _format(recompute["floor_seconds"], " s"), "", "", ""))
        first = recompute.get("first")
        if first:
            rows.append(
                (
                    "recompute_scores, first (writes the ledger)",
                    _format(first.get("seconds"), " s") if first["status"] == "measured" else first["status"],
                    _format(recompute["floor_seconds"], " s"),
                    _format(recompute.get("first_ratio"), "x"),
                    f"peak RSS {first['max_rss_mb']:.0f} MB",
                )
            )
        measured = recompute["status"] == "measured"
        full = recompute.get("full") or {}
        if full.get("status") == "measured":
            rows.append(
                (
                    "recompute_scores --full, steady state (the audit)",
                    _format(full.get("work_seconds"), " s"),
                    _format(recompute["floor_seconds"], " s"),
                    _format(full.get("ratio"), "x"),
                    "writes nothing after the nightly run",
                )
            )
        rows.append(
            (
                "recompute_scores, steady state (nightly run)",
                _format(recompute.get("work_seconds"), " s") if measured else recompute["status"],
                _format(recompute["floor_seconds"], " s"),
                _format(recompute.get("ratio"), "x"),
                "goal <= 3x at 1M"
                + (
                    f"; {recompute.get('mode')}; command wall {_format(recompute.get('seconds'), ' s')}"
                    if measured
                    else ""
                ),
            )
        )
    growth = result.get("growth", {})
    if "rows_ratio" in growth:
        rows.append(
            (
                f"growth {' -> '.join(growth['by_scale'])} activities",
                f"recompute {_format(growth.get('recompute_time_ratio'), 'x')}",
                f"floor {_format(growth.get('floor_time_ratio'), 'x')}",
                f"rows {growth['rows_ratio']:.0f}x",
                "goal <= 12x for 10x rows",
            )
        )
    event = result.get("event_path")
    if event and event["status"] == "measured":
        rows.append(
            (
                f"event path (commit -> Score), {event['events']} activities",
                f"p50/p95/max {event['p50_seconds'] * 1000:.0f}/{event['p95_seconds'] * 1000:.0f}/"
                f"{event['max_seconds'] * 1000:.0f} ms",
                "",
                f"queries/award {sorted(event['queries_per_award'])[len(event['queries_per_award']) // 2]}"
                f" (max {max(event['queries_per_award'])})",
                "goal p95 < 1 s, <= 6 queries",
            )
        )
    elif event:
        rows.append(("event path (accept -> Score)", event["status"], "", "", "goal p95 < 1 s, <= 6 queries"))
    for label, entry in result.get("exports", {}).items():
        if not isinstance(entry, dict):
            continue
        rows.append(
            (f"export floor COPY ({label}, {entry['rows']:,} rows)", _format(entry["floor_seconds"], " s"), "", "", "")
        )
        for fmt in ("csv", "xlsx", "pdf"):
            figures = entry[fmt]
            measured = figures["status"] == "measured"
            rows.append(
                (
                    f"generate_report {fmt} ({label})",
                    _format(figures.get("seconds"), " s") if measured else figures["status"],
                    _format(entry["floor_seconds"], " s") if fmt == "csv" else "",
                    _format(figures.get("ratio"), "x"),
                    (f"peak RSS {figures['max_rss_mb']:.0f} MB" if measured else "")
                    + (" (goal <= 3x)" if fmt == "csv" and measured else ""),
                )
            )
    if "rss_ratio_full_to_10k" in result.get("exports", {}):
        rows.append(
            (
                "export peak RSS full / 10k",
                _format(result["exports"]["rss_ratio_full_to_10k"], "x"),
                "",
                "",
                "goal <= 1.25x",
            )
        )
    guard = result.get("privacy_guard")
    if guard:
        rows.append(
            (
                f"privacy guard, {guard['characters']:,}-character post",
                f"p50/p95 {guard['p50_ms']:.1f}/{guard['p95_ms']:.1f} ms",
                f"{guard['scans_per_second']:.0f} scans/s",
                "",
                f"cold: import {guard['cold_import_ms']:.0f} ms, first scan {guard['cold_first_scan_ms']:.0f} ms",
            )
        )
    for page in result.get("pages", []):
        if "p50_us" in page:
            rows.append(
                (
                    f"GET {page['path']} ({page['as']})",
                    "p50/p95/p99 " + "/".join(f"{page[k] / 1000:.1f}" for k in ("p50_us", "p95_us", "p99_us")) + " ms",
                    f"{page['requests_per_second']:.0f} req/s",
                    _format(page.get("throughput_ratio_to_healthz"), "x /healthz"),
                    f"queries {page.get('queries', '-')}, non-2xx {page['non_2xx']}, errors {page['socket_errors']}",
                )
            )
        else:
            rows.append(
                (
                    f"GET {page['path']} ({page.get('as', '')})",
                    page["status"],
                    "",
                    "",
                    f"queries {page.get('queries', '-')}",
                )
            )
    return rows


def _print_table(rows: list[tuple[str, ...]], header: str) -> None:
    titles = ("measurement", "value", "floor / rate", "ratio", "notes")
    widths = [max(len(str(row[i])) for row in [titles, *rows]) for i in range(len(titles))]
    print(header)
    for row in [titles, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, help="Scale label for this run (default: rows in the table).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per floor query (median is reported).")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk load per page.")
    # Two per gunicorn worker: both workers always have the next request waiting, and the latency
    # measures the page rather than a queue in front of two sync workers.
    parser.add_argument("--connections", type=int, default=4, help="Concurrent wrk connections per page.")
    parser.add_argument(
        "--seed-clinicians",
        type=int,
        help="Reseed first (seed_demo --reset with this many clinicians and --activities) and time it.",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["recompute", "exports", "pages", "events", "privacy", "size"],
    )
    options = parser.parse_args(argv)

    env = _environment()
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # The in-process query counts request pages that may not exist yet; their 404s are in the table.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL: set DATABASE_URL=postgres://... and seed it with manage.py seed_demo.")
        return 2
    from bench.events import event_path_measure
    from bench.pages import pages_measure, server_env

    started = dt.datetime.now(tz=dt.UTC)
    seed = None
    if options.seed_clinicians:
        if not options.activities:
            parser.error("--seed-clinicians needs --activities")
        seed = _seed(options.seed_clinicians, options.activities, started)
    counts = _counts()
    scale = options.activities or counts["activities"]
    result: dict = {"timestamp": started.isoformat(), "scale": scale, "counts": counts, "machine": _machine()}
    result["seed"] = seed or _seed_carried()
    if "recompute" not in options.skip:
        result["recompute"] = _recompute(options.repeat)
    result["growth"] = _growth(result)
    if "events" not in options.skip:
        result["event_path"] = event_path_measure(env=env)
    if "exports" not in options.skip:
        result["exports"] = _exports(options.repeat, counts["activities"])
    if "privacy" not in options.skip:
        from bench.privacy_guard import privacy_guard_measure

        result["privacy_guard"] = privacy_guard_measure()
    if "pages" not in options.skip:
        result["pages"] = pages_measure(env=server_env(env), seconds=options.duration, connections=options.connections)
    if "size" not in options.skip:
        from bench.sizes import database_size_measure

        result["database_size"] = database_size_measure()
    result["finished"] = dt.datetime.now(tz=dt.UTC).isoformat()
    from bench.summary import goals_summarise

    result["goals"] = goals_summarise(result)

    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, default=str)
    path = RESULTS / f"{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    machine = result["machine"]
    print("Goals (bench/results/latest.json 'goals'; README via python -m bench.summary --write):")
    for key, row in result["goals"].items():
        print(f"  {key:<24} value {row.get('value')!s:<22} ratio {row.get('ratio')!s:<22} met {row.get('met')}")
    _print_table(
        _table(result),
        f"Advocacy Portal benchmark: {counts['activities']:,} activities, {counts['clinicians']:,} clinicians "
        f"(scale {scale:,}) on {machine['cpus']} CPUs, {machine['memory_gb']} GB, PostgreSQL {machine['postgresql']}",
    )
    print(f"\nWritten to {path.relative_to(ROOT)} and bench/results/latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

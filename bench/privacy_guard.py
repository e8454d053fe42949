"""`python -m bench.privacy_guard`: the privacy guard on a 5,000-character post (the excerpt's limit).

Prints p50/p95/max milliseconds per scan and scans per second in this process (rules loaded), and,
in a fresh process, what importing the guard costs at start-up and what the first scan costs (it
loads the rules, the name lists and libphonenumber's metadata). Needs no database or services, so
the lead can run it alone in a few seconds; `make bench` adds the same figures as one row.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST_CHARACTERS = 5000

# A long LinkedIn-style post: mostly ordinary advocacy, with a few patient details buried in it, so
# every recogniser does its full work (phones, codes, names, places, dates) on every scan.
SENTENCES = [
    "Measles is one of the most contagious diseases known; two doses of MMR protect 97% of people.",
    "This week our unit cared for a 34-year-old teacher from Millbrook with pertussis, admitted on 03/11 at 2:14am.",
    "If you are in crisis, call or text 988; the poison control line is 1-800-222-1222.",
    "Call our clinic at (312) 555-0198 to book your flu shot; walk-ins welcome Monday to Friday.",
    "Adults 50 years and older should talk to their doctor about colon cancer screening.",
    "Her son asked us to call him on +44 7911 123456 with updates, and her MRN 4481230 was on the board.",
    "A 2023 study of 40,000 adults in Denmark linked night shifts to type 2 diabetes (PMID 33301246).",
    "Thank you Senator Jane Smith for championing the insulin price cap bill this spring.",
    "Maria Lopez came into our ER last night with a stroke, and she is talking again today.",
    "Normal potassium is 3.5-5.1 mmol/L; take 500 mg amoxicillin three times a day as prescribed.",
    "Read the guidance at https://www.cdc.gov/vaccines/ before your next visit to the pharmacy.",
]


# The same length with nothing the rules stop on: the learned scorer then reads the whole post as well.
CLEAN_SENTENCES = [
    "Measles is one of the most contagious diseases known; two doses of MMR protect 97% of people.",
    "If you are in crisis, call or text 988; the poison control line is 1-800-222-1222.",
    "Adults 50 years and older should talk to their doctor about colon cancer screening.",
    "Normal potassium is 3.5-5.1 mmol/L; take 500 mg amoxicillin three times a day as prescribed.",
    "Read the guidance at https://www.cdc.gov/vaccines/ before your next visit to the pharmacy.",
]


def post_text(characters: int = POST_CHARACTERS, sentences: list[str] = SENTENCES) -> str:
    """A deterministic post of exactly `characters` characters."""
    parts: list[str] = []
    length = 0
    index = 0
    while length < characters:
        sentence = sentences[index % len(sentences)]
        parts.append(sentence)
        length += len(sentence) + 1
        index += 1
    return " ".join(parts)[:characters]


COLD_START = """
import json, sys, time
started = time.perf_counter()
import campaigns.privacy_guard as guard
imported = time.perf_counter()
hits = guard.privacy_scan(sys.argv[1])
first = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "first_scan_ms": (first - imported) * 1000,
                  "hits": len(hits)}))
"""


def _cold_start(text: str) -> dict:
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", COLD_START, text], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(completed.stdout)


def privacy_guard_measure(*, scans: int = 200, warmup: int = 5) -> dict:
    """Scan timings on one 5,000-character post (warm), and the cold import and first scan."""
    from campaigns.privacy_guard import privacy_scan

    text = post_text()
    cold = _cold_start(text)
    for _ in range(warmup):
        privacy_scan(text)
    timings = []
    started = time.perf_counter()
    for _ in range(scans):
        begin = time.perf_counter()
        privacy_scan(text)
        timings.append(time.perf_counter() - begin)
    elapsed = time.perf_counter() - started
    timings.sort()
    clean = post_text(sentences=CLEAN_SENTENCES)
    clean_timings = []
    for _ in range(max(1, scans // 2)):
        begin = time.perf_counter()
        privacy_scan(clean)
        clean_timings.append(time.perf_counter() - begin)
    clean_timings.sort()
    return {
        "clean_hits": len(privacy_scan(clean)),
        "clean_p50_ms": statistics.median(clean_timings) * 1000,
        "clean_p95_ms": clean_timings[min(len(clean_timings) - 1, int(len(clean_timings) * 0.95))] * 1000,
        "status": "measured",
        "characters": len(text),
        "hits": len(privacy_scan(text)),
        "scans": scans,
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000,
        "max_ms": timings[-1] * 1000,
        "scans_per_second": scans / elapsed,
        "cold_import_ms": cold["import_ms"],
        "cold_first_scan_ms": cold["first_scan_ms"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=200, help="Timed scans of the post (default 200).")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    figures = privacy_guard_measure(scans=options.scans)
    print(
        f"privacy guard, {figures['characters']:,}-character post ({figures['hits']} hits), {figures['scans']} scans:\n"
        f"  p50/p95/max  {figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} / {figures['max_ms']:.1f} ms\n"
        f"  throughput   {figures['scans_per_second']:.0f} scans/s (one process)\n"
        f"  clean post   p50/p95 {figures['clean_p50_ms']:.1f} / {figures['clean_p95_ms']:.1f} ms "
        f"({figures['clean_hits']} hits; nothing for the rules, so the learned scorer reads it too)\n"
        f"  cold start   import {figures['cold_import_ms']:.1f} ms, first scan {figures['cold_first_scan_ms']:.0f} ms "
        "(loads the rules, scorer weights, name lists and phone metadata)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

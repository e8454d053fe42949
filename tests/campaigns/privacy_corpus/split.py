"""Split the privacy corpus pool into a development half and a test half, once.

The pool (``pool/*.jsonl``) is shuffled with a fixed seed, stratified by each
post's first category (all negatives form one stratum), and dealt alternately
into ``dev.jsonl`` and ``test.jsonl``. Only ``dev.jsonl`` may be used to tune a
guard; ``test.jsonl`` is held out for measurement.

Standard library only. Run from anywhere::

    python3 tests/campaigns/privacy_corpus/split.py          # write halves if absent, then check
    python3 tests/campaigns/privacy_corpus/split.py --check  # only check the committed halves

When the halves already exist the script never rewrites them: it verifies that
they are exactly the split the pool produces and that the counts hold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE / "pool"
DEV = HERE / "dev.jsonl"
TEST = HERE / "test.jsonl"
SEED = 20261201

CATEGORIES = (
    "name",
    "geographic",
    "date",
    "phone",
    "fax",
    "email",
    "ssn",
    "mrn",
    "health_plan_id",
    "account_number",
    "license_number",
    "vehicle_id",
    "device_id",
    "url",
    "ip_address",
    "biometric",
    "photo",
    "other_unique_code",
    "room_bed_unit",
    "age_occupation_place",
    "rare_condition_place_time",
    "public_figure_condition",
    "first_name_or_initials_with_detail",
    "child_name_town",
)
PLATFORMS = {"x", "linkedin", "instagram", "tiktok", "threads", "bluesky", "reddit", "blog"}
NEGATIVE = "negative"
MIN_POSITIVES_PER_HALF = 8
MIN_NEGATIVES_PER_HALF = 175


def load_pool() -> list[dict]:
    records = []
    for path in sorted(POOL.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise SystemExit(f"{path.name}:{number}: invalid JSON ({exc})") from exc
    return records


def validate(records: list[dict]) -> list[str]:
    problems = []
    ids = Counter(r.get("id") for r in records)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for r in records:
        rid = r.get("id")
        if set(r) != {"id", "text", "platform", "identifies_patient", "categories", "note"}:
            problems.append(f"{rid}: unexpected keys {sorted(r)}")
            continue
        if not isinstance(r["text"], str) or not 40 <= len(r["text"]) <= 1200:
            problems.append(f"{rid}: text must be 40-1200 characters")
        if r["platform"] not in PLATFORMS:
            problems.append(f"{rid}: unknown platform {r['platform']!r}")
        if not isinstance(r["identifies_patient"], bool):
            problems.append(f"{rid}: identifies_patient must be a boolean")
        unknown = [c for c in r["categories"] if c not in CATEGORIES]
        if unknown:
            problems.append(f"{rid}: unknown categories {unknown}")
        if len(set(r["categories"])) != len(r["categories"]):
            problems.append(f"{rid}: repeated category")
        if r["identifies_patient"] != bool(r["categories"]):
            problems.append(f"{rid}: positives need categories, negatives need []")
    return problems


def stratum(record: dict) -> str:
    return record["categories"][0] if record["categories"] else NEGATIVE


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """One seeded shuffle of the whole pool, then alternate dealing within each stratum."""
    rng = random.Random(SEED)
    shuffled = sorted(records, key=lambda r: r["id"])
    rng.shuffle(shuffled)
    dev: list[dict] = []
    test: list[dict] = []
    dealt: Counter = Counter()
    # Alternate which half receives a stratum's odd record so the halves stay even.
    starts = {}
    for record in shuffled:
        key = stratum(record)
        if key not in starts:
            starts[key] = len(starts) % 2
        half = (dealt[key] + starts[key]) % 2
        (dev if half == 0 else test).append(record)
        dealt[key] += 1
    return sorted(dev, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def counts(records: list[dict]) -> tuple[Counter, Counter, int]:
    first = Counter(stratum(r) for r in records if r["categories"])
    listed = Counter(c for r in records for c in r["categories"])
    negatives = sum(1 for r in records if not r["identifies_patient"])
    return first, listed, negatives


def check_half(
    name: str,
    records: list[dict],
    *,
    min_positives: int = MIN_POSITIVES_PER_HALF,
    min_negatives: int = MIN_NEGATIVES_PER_HALF,
) -> list[str]:
    _, listed, negatives = counts(records)
    problems = [
        f"{name}: only {listed[c]} positives list {c} (need >= {min_positives})"
        for c in CATEGORIES
        if listed[c] < min_positives
    ]
    if negatives < min_negatives:
        problems.append(f"{name}: only {negatives} negatives (need >= {min_negatives})")
    return problems


def dump(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report(dev: list[dict], test: list[dict]) -> str:
    dev_first, dev_listed, dev_neg = counts(dev)
    test_first, test_listed, test_neg = counts(test)
    lines = [
        "| category | dev (first) | dev (listed) | test (first) | test (listed) |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in CATEGORIES:
        lines.append(f"| `{c}` | {dev_first[c]} | {dev_listed[c]} | {test_first[c]} | {test_listed[c]} |")
    lines.append(f"| positives (posts) | {len(dev) - dev_neg} | | {len(test) - test_neg} | |")
    lines.append(f"| negatives (posts) | {dev_neg} | | {test_neg} | |")
    lines.append(f"| all posts | {len(dev)} | | {len(test)} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed halves")
    args = parser.parse_args(argv)

    records = load_pool()
    problems = validate(records)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    dev, test = split(records)

    if DEV.exists() or TEST.exists() or args.check:
        if not (DEV.exists() and TEST.exists()):
            print("one half is missing; restore it from git, do not re-split", file=sys.stderr)
            return 1
        if read(DEV) != dev or read(TEST) != test:
            print("committed halves differ from the seeded split of the pool", file=sys.stderr)
            return 1
    else:
        dump(DEV, dev)
        dump(TEST, test)

    dev_ids = {r["id"] for r in dev}
    problems = [f"id {i} in both halves" for i in dev_ids & {r["id"] for r in test}]
    problems += check_half("dev", dev) + check_half("test", test)
    print(report(dev, test))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"\nOK: {len(records)} posts, dev {len(dev)}, test {len(test)}, seed {SEED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Split the v2 privacy corpus pool into a development half and a test half, once.

Adapted from version 1's ``split.py``. The v2 pool (``v2/pool/*.jsonl``) was written after the
guard had been tuned on v1's dev half, by a writer who had not seen the guard. Each post belongs
to a *family* (the ``[fNNN]`` tag at the end of its note): one hand-written post rendered a few
times with different invented identifiers, platform and styling. Families are shuffled once with
a fixed seed, stratified by first category (all negatives form one stratum), and dealt
alternately into ``dev.jsonl`` and ``test.jsonl``, so the renderings of one family never straddle
the halves. Only ``dev.jsonl`` may be used to tune a guard; ``test.jsonl`` is held out.

Standard library only. Run from anywhere::

    python3 tests/campaigns/privacy_corpus/v2/split.py          # write halves if absent, then check
    python3 tests/campaigns/privacy_corpus/v2/split.py --check  # only check the committed halves

When the halves already exist the script never rewrites them: it verifies that they are exactly
the split the pool produces, that the counts hold, that ids differ from v1's and that no text is
shared between the halves or with v1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE / "pool"
DEV = HERE / "dev.jsonl"
TEST = HERE / "test.jsonl"
V1_POOL = HERE.parent / "pool"
SEED = 20261202

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


def _v1_split():
    """Version 1's split.py, whose counting, reading, writing and reporting this version shares."""
    spec = importlib.util.spec_from_file_location("privacy_corpus_v1_split", HERE.parent / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_v1 = _v1_split()
assert _v1.CATEGORIES == CATEGORIES and _v1.NEGATIVE == NEGATIVE
counts, dump, read, report = _v1.counts, _v1.dump, _v1.read, _v1.report
MIN_LISTED_IN_POOL = 44
MIN_FIRST_IN_POOL = 40
MIN_NEGATIVES_IN_POOL = 480
MIN_POSITIVES_PER_HALF = 20
MIN_NEGATIVES_PER_HALF = 230
FAMILY = re.compile(r"\[(f\d{3,})\]$")
ID = re.compile(r"^q\d{4}$")


def _load(directory: Path) -> list[dict]:
    records = []
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise SystemExit(f"{path.name}:{number}: invalid JSON ({exc})") from exc
    return records


def load_pool() -> list[dict]:
    return _load(POOL)


def family(record: dict) -> str:
    return FAMILY.search(record["note"]).group(1)


def stratum(record: dict) -> str:
    return record["categories"][0] if record["categories"] else NEGATIVE


def validate(records: list[dict], v1: list[dict]) -> list[str]:
    problems = []
    ids = Counter(r.get("id") for r in records)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    problems += [f"id {i} also in v1" for i in set(ids) & {r["id"] for r in v1}]
    texts = Counter(r.get("text") for r in records)
    problems += [f"duplicate text {t[:60]!r}" for t, n in texts.items() if n > 1]
    v1_texts = {r["text"] for r in v1}
    strata = defaultdict(set)
    for r in records:
        rid = r.get("id")
        if set(r) != {"id", "text", "platform", "identifies_patient", "categories", "note"}:
            problems.append(f"{rid}: unexpected keys {sorted(r)}")
            continue
        if not ID.match(rid):
            problems.append(f"{rid}: ids are q0001...")
        if not isinstance(r["text"], str) or not 30 <= len(r["text"]) <= 1500:
            problems.append(f"{rid}: text must be 30-1500 characters")
        if r["text"] in v1_texts:
            problems.append(f"{rid}: text also in v1")
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
        if not FAMILY.search(r["note"]):
            problems.append(f"{rid}: note must end with its family tag [fNNN]")
            continue
        strata[family(r)].add(stratum(r))
    problems += [f"family {f} spans strata {sorted(s)}" for f, s in strata.items() if len(s) > 1]
    if not problems:
        first, listed, negatives = counts(records)
        problems += [f"pool: only {listed[c]} positives list {c}" for c in CATEGORIES if listed[c] < MIN_LISTED_IN_POOL]
        problems += [
            f"pool: only {first[c]} positives start with {c}" for c in CATEGORIES if first[c] < MIN_FIRST_IN_POOL
        ]
        if negatives < MIN_NEGATIVES_IN_POOL:
            problems.append(f"pool: only {negatives} negatives")
    return problems


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """One seeded shuffle of the families, then alternate dealing of families within each stratum."""
    families: dict[str, list[dict]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r["id"]):
        families[family(record)].append(record)
    order = sorted(families)
    random.Random(SEED).shuffle(order)
    dev: list[dict] = []
    test: list[dict] = []
    dealt: Counter = Counter()
    starts: dict[str, int] = {}
    for key in order:
        members = families[key]
        group = stratum(members[0])
        if group not in starts:
            starts[group] = len(starts) % 2
        half = (dealt[group] + starts[group]) % 2
        (dev if half == 0 else test).extend(members)
        dealt[group] += 1
    return sorted(dev, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def check_half(name: str, records: list[dict]) -> list[str]:
    return _v1.check_half(name, records, min_positives=MIN_POSITIVES_PER_HALF, min_negatives=MIN_NEGATIVES_PER_HALF)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed halves")
    args = parser.parse_args(argv)

    records = load_pool()
    v1 = _load(V1_POOL)
    problems = validate(records, v1)
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

    problems = [f"id {i} in both halves" for i in {r["id"] for r in dev} & {r["id"] for r in test}]
    problems += [f"text in both halves: {t[:60]!r}" for t in {r["text"] for r in dev} & {r["text"] for r in test}]
    problems += check_half("dev", dev) + check_half("test", test)
    print(report(dev, test))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"\nOK: {len(records)} posts, dev {len(dev)}, test {len(test)}, seed {SEED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

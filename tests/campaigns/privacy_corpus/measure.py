"""Measure the privacy guard on any labelled corpus file: precision and recall overall, per category, per family.

    python tests/campaigns/privacy_corpus/measure.py path/to/test.jsonl [more.jsonl ...]

Each file holds one JSON object a line in the corpus format (README.md beside this file): "text",
"identifies_patient", "categories" and optionally "note" ending in a family tag ("[f123]"). A post counts
as caught when the guard (campaigns.privacy_guard.privacy_scan, exactly what a save runs) finds anything
in it. Per category = recall on the positives listing that category (precision is overall: a negative
has no category). Per family (only when notes carry family tags) = share of positive families whose
every positive rendering is caught. The goal of issue 14 is recall >= 0.95 at precision >= 0.85, overall
and per category; the last line says whether it is met.

Prints aggregates only, so a held-out file can be measured without reading its posts; `--list` also
prints the ids of missed posts and false alarms (reading them spends the file for tuning).
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from campaigns.privacy_guard import privacy_scan  # noqa: E402
from tests.campaigns.privacy_records import (  # noqa: E402
    Record,
    _family,
    family_table,
    figures_by_family,
    figures_measure,
    figures_table,
)

RECALL_GOAL = 0.95
PRECISION_GOAL = 0.85


def records_from(path: Path) -> list[Record]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        records.append(
            Record(
                id=str(item.get("id", f"{path.name}:{number}")),
                text=item["text"],
                identifies_patient=bool(item["identifies_patient"]),
                categories=tuple(item.get("categories") or ()),
                family=_family(item.get("note") or ""),
            )
        )
    return records


def measure(path: Path, *, listing: bool = False) -> bool:
    records = records_from(path)
    cache: dict[str, bool] = {}

    def flags(text: str) -> bool:
        if text not in cache:
            cache[text] = bool(privacy_scan(text))
        return cache[text]

    figures = figures_measure(records, flags)
    print(figures_table(str(path), figures))
    short = [category for category, (recall, _) in figures.recall_by_category.items() if recall < RECALL_GOAL]
    if any(record.family for record in records):
        print(family_table(str(path), figures_by_family(records, flags)))
    met = figures.precision >= PRECISION_GOAL and figures.recall >= RECALL_GOAL and not short
    print(
        f"goal (recall >= {RECALL_GOAL} at precision >= {PRECISION_GOAL}, overall and per category): "
        + ("met" if met else f"not met ({len(short)} categories below {RECALL_GOAL}: {', '.join(short) or '-'})")
    )
    if listing:
        print("missed:", " ".join(record.id for record in figures.missed) or "-")
        print("false alarms:", " ".join(record.id for record in figures.false_alarms) or "-")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="labelled corpus files (.jsonl)")
    parser.add_argument("--list", action="store_true", help="also print the ids of missed posts and false alarms")
    options = parser.parse_args(argv)
    for path in options.files:
        measure(path, listing=options.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())

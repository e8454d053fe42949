"""Reading the labelled privacy corpus (tests/campaigns/privacy_corpus/*.jsonl) for the guard's tests.

Each line is {"id", "text", "platform", "identifies_patient", "categories", "note"}; a positive's
categories name the kinds of identifier it carries (HIPAA Safe Harbor kinds and quasi-identifier
combinations), so recall can be read per category.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "privacy_corpus"


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    identifies_patient: bool
    categories: tuple[str, ...]
    family: str = ""  # v2: the hand-written family the post was rendered from ("f123"), from its note


def records_load(split: str) -> list[Record]:
    """The records of one split ("dev", "test", "v2/dev", "v2/test"); an empty list when the file is not in
    this checkout."""
    path = CORPUS / f"{split}.jsonl"
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            records.append(
                Record(
                    id=str(item["id"]),
                    text=item["text"],
                    identifies_patient=bool(item["identifies_patient"]),
                    categories=tuple(item.get("categories") or ()),
                    family=_family(item.get("note") or ""),
                )
            )
    return records


def _family(note: str) -> str:
    tag = re.search(r"\[(f\d+)\]\s*$", note)
    return tag.group(1) if tag else ""


@dataclass(frozen=True)
class Figures:
    """Post-level figures: a post counts as caught when the guard finds anything in it."""

    posts: int
    positives: int
    precision: float
    recall: float
    recall_by_category: dict[str, tuple[float, int]]  # category -> (recall, positives carrying it)
    missed: list[Record]
    false_alarms: list[Record]


def figures_measure(records: list[Record], flags) -> Figures:
    """Precision and recall of flags(text) -> bool over the records, overall and per category."""
    flagged = {record.id: bool(flags(record.text)) for record in records}
    positives = [record for record in records if record.identifies_patient]
    caught = [record for record in positives if flagged[record.id]]
    false_alarms = [record for record in records if not record.identifies_patient and flagged[record.id]]
    by_category: dict[str, list[bool]] = {}
    for record in positives:
        for category in record.categories:
            by_category.setdefault(category, []).append(flagged[record.id])
    raised = len(caught) + len(false_alarms)
    return Figures(
        posts=len(records),
        positives=len(positives),
        precision=len(caught) / raised if raised else 1.0,
        recall=len(caught) / len(positives) if positives else 1.0,
        recall_by_category={
            category: (sum(values) / len(values), len(values)) for category, values in sorted(by_category.items())
        },
        missed=[record for record in positives if not flagged[record.id]],
        false_alarms=false_alarms,
    )


def figures_table(name: str, figures: Figures) -> str:
    lines = [
        f"{name}: {figures.posts} posts, {figures.positives} positives; "
        f"precision {figures.precision:.3f}, recall {figures.recall:.3f}",
    ]
    for category, (recall, count) in figures.recall_by_category.items():
        lines.append(f"  {category:<36} recall {recall:.3f} of {count}")
    return "\n".join(lines)


@dataclass(frozen=True)
class FamilyFigures:
    """Family-level figures (v2): a positive family counts as caught only when every one of its positive
    renderings is flagged; a negative family counts as a false alarm when any of its renderings is."""

    families: int
    positive_families: int
    recall: float
    negative_families_flagged: int
    negative_families: int
    recall_by_category: dict[str, tuple[float, int]]  # category -> (recall, positive families listing it)


def figures_by_family(records: list[Record], flags) -> FamilyFigures:
    flagged: dict[str, list[bool]] = {}
    negatives: dict[str, list[bool]] = {}
    categories: dict[str, set[str]] = {}
    for record in records:
        hit = bool(flags(record.text))
        if record.identifies_patient:
            flagged.setdefault(record.family, []).append(hit)
            categories.setdefault(record.family, set()).update(record.categories)
        else:
            negatives.setdefault(record.family, []).append(hit)
    caught = {family: all(values) for family, values in flagged.items()}
    by_category: dict[str, list[bool]] = {}
    for family, listed in categories.items():
        for category in listed:
            by_category.setdefault(category, []).append(caught[family])
    return FamilyFigures(
        families=len(set(flagged) | set(negatives)),
        positive_families=len(caught),
        recall=sum(caught.values()) / len(caught) if caught else 1.0,
        negative_families_flagged=sum(any(values) for values in negatives.values()),
        negative_families=len(negatives),
        recall_by_category={
            category: (sum(values) / len(values), len(values)) for category, values in sorted(by_category.items())
        },
    )


def family_table(name: str, figures: FamilyFigures) -> str:
    lines = [
        f"{name} by family: {figures.positive_families} positive families, recall {figures.recall:.3f}; "
        f"{figures.negative_families_flagged} of {figures.negative_families} negative families flagged",
    ]
    for category, (recall, count) in figures.recall_by_category.items():
        lines.append(f"  {category:<36} recall {recall:.3f} of {count} families")
    return "\n".join(lines)

"""The patient-privacy guard: its goal on the held-out corpora, its spans and kinds, and its loading.

The goal (issue 14): on a held-out test half no rule or parameter was tuned on, recall >= 0.95 at
precision >= 0.85, overall and per category (per category = recall on the positives carrying that
category; precision is overall). A post counts as caught when the guard finds anything in it, because
that is what stops the save.

Two corpora (tests/campaigns/privacy_corpus/README.md and v2/README.md):
- v2 (1,607 posts rendered from 413 hand-written families, each family wholly in one half) is the
  primary held-out set: its TEST half was measured once, programmatically and in aggregate, after the
  round-2 rules were frozen (commit 84329b9). It is reported per post and per family (a family counts
  as caught when every positive rendering of it is flagged), since renderings of one family are not
  independent.
- v1's TEST half was first measured in round 1 (precision 0.903, recall 0.899) and again, in aggregate
  only, after round 2; no rule was read off it, but it is no longer unseen.
The rules were tuned on v1 DEV and v2 DEV only; every half's figures are printed (pytest -s) and
written in the README.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from campaigns.privacy_guard import KIND_LABELS, privacy_fingerprint, privacy_hits_for, privacy_scan
from tests.campaigns.privacy_records import (
    family_table,
    figures_by_family,
    figures_measure,
    figures_table,
    records_load,
)

pytestmark = pytest.mark.django_db

RECALL_GOAL = 0.95
PRECISION_GOAL = 0.85
ROOT = Path(__file__).resolve().parents[2]


def _records(split: str):
    records = records_load(split)
    if not records:
        pytest.skip(f"tests/campaigns/privacy_corpus/{split}.jsonl is not in this checkout")
    return records


def _figures(split: str):
    figures = figures_measure(_records(split), privacy_scan)
    print("\n" + figures_table(split, figures))
    return figures


def _family_figures(split: str):
    figures = figures_by_family(_records(split), privacy_scan)
    print("\n" + family_table(split, figures))
    return figures


def _assert_goal(split: str, figures) -> None:
    assert figures.precision >= PRECISION_GOAL, figures_table(split, figures)
    assert figures.recall >= RECALL_GOAL, figures_table(split, figures)
    short = {category: recall for category, (recall, _) in figures.recall_by_category.items() if recall < RECALL_GOAL}
    assert not short, figures_table(split, figures)


# Measured once, after the round-2 rules were frozen (commit 84329b9): per post precision 0.909, recall
# 0.826, 14 of 24 categories below 0.95 (lowest: first names/initials 0.50, url 0.50, child name + town
# 0.58, name 0.66, biometric and mrn 0.67); per family recall 0.754 (107 of 142 positive families wholly
# caught), 13 of 63 negative families raising a false alarm. The goal is not met; the mark is strict, so
# the day it is met this test says so and the mark comes off.
@pytest.mark.xfail(
    strict=True,
    reason="issue 14 goal not met on v2 test (held out): per post recall 0.826 at precision 0.909, "
    "per family recall 0.754; 14 of 24 categories below 0.95",
)
def test_it_holds_the_goal_on_the_v2_held_out_test_half():
    _assert_goal("v2/test", _figures("v2/test"))
    families = _family_figures("v2/test")
    assert families.recall >= RECALL_GOAL, family_table("v2/test", families)


def test_it_keeps_what_it_reached_on_the_v2_held_out_test_half():
    """No regression below the figures measured when the round-2 rules were frozen (floors are the first
    and only measurement, rounded down, not tuned)."""
    figures = _figures("v2/test")
    assert figures.precision >= 0.90, figures_table("v2/test", figures)
    assert figures.recall >= 0.82, figures_table("v2/test", figures)
    families = _family_figures("v2/test")
    assert families.recall >= 0.75, family_table("v2/test", families)


# v1 test: round 1 precision 0.903, recall 0.899; round 2 precision 0.903, recall 0.903 (10 categories
# below 0.95: url 0.67, photo 0.77, biometric, vehicle_id and public figures 0.80, first names 0.81).
# Seen in round 1, so weaker evidence than v2 test.
@pytest.mark.xfail(
    strict=True, reason="issue 14 goal not met on v1 test: recall 0.903 at precision 0.903 (seen once in round 1)"
)
def test_it_holds_the_goal_on_the_v1_test_half():
    _assert_goal("test", _figures("test"))


def test_it_keeps_what_it_reached_on_the_v1_test_half():
    figures = _figures("test")
    assert figures.precision >= 0.90, figures_table("test", figures)
    assert figures.recall >= 0.90, figures_table("test", figures)


@pytest.mark.parametrize("split", ["dev", "v2/dev"])
def test_it_reports_the_development_halves(split):
    """The halves the rules were tuned on: their figures say nothing about new text, only that tuning held."""
    figures = _figures(split)
    assert figures.positives > 0
    assert figures.precision >= 0.95, figures_table(split, figures)
    assert figures.recall >= RECALL_GOAL, figures_table(split, figures)
    if split.startswith("v2"):
        _family_figures(split)


def test_every_hit_is_a_known_kind_with_its_exact_span_and_an_explanation():
    texts = [record.text for record in records_load("dev") + records_load("v2/dev")] or [
        "Maria Lopez (room 412, MRN 4481230) went home today; call her son on +44 7911 123456."
    ]
    for text in texts:
        for hit in privacy_hits_for(text):
            assert hit["kind"] in KIND_LABELS
            assert text[hit["start"] : hit["end"]] == hit["text"] != ""
            assert hit["explanation"] and hit["label"] == KIND_LABELS[hit["kind"]]


def test_it_finds_identifiers_in_any_format():
    found = {
        text: [(hit.kind, hit.text) for hit in privacy_scan(text)]
        for text in [
            "Her son's mobile is +44 7911 123456 if anyone has news.",
            "Fax her discharge summary to (312) 555-0177 today, the family asked.",
            "NHS number 943 476 5919 was on the letter she posted.",
            "My patient's pacemaker, serial SN 4471-XZ-902, was in the recall.",
            "Her insurance member ID W123456789 was visible in the photo.",
        ]
    }
    assert [kinds[0][0] for kinds in found.values()] == ["phone", "fax", "mrn", "device_id", "health_plan_id"]
    assert found["Her son's mobile is +44 7911 123456 if anyone has news."] == [("phone", "+44 7911 123456")]


def test_it_leaves_hotlines_statistics_and_the_clinicians_own_story_alone():
    for text in [
        "Call 1-800-222-1222 for poison control, or 988 in a crisis.",
        "Call our clinic at (312) 555-0198 to book your flu shot.",
        "Adults 50 years and older should talk to their doctor about colon cancer screening.",
        "I was diagnosed with breast cancer on March 3, 2019, and I'm grateful to be here.",
        "Thank you Senator Jane Smith for championing the insulin price cap bill.",
        "Patients often ask whether vaccines cause autism. They do not.",
    ]:
        assert privacy_scan(text) == [], text


def test_a_fingerprint_names_the_hits_not_their_positions():
    hits = privacy_hits_for("Mrs. Alvarez was admitted with pneumonia.")
    moved = privacy_hits_for("Sad news. Mrs. Alvarez was admitted with pneumonia.")
    assert hits[0]["start"] != moved[0]["start"]
    assert privacy_fingerprint(hits) == privacy_fingerprint(moved) != ""
    assert privacy_fingerprint([]) == ""


def test_importing_the_guard_loads_no_rules_names_or_phone_metadata():
    """Every web and worker process imports the guard through the services: the rules, the name lists
    and libphonenumber load on the first scan, not at process start."""
    code = (
        "import sys, campaigns.privacy_guard as guard;"
        "print(sorted(m for m in ('campaigns.privacy_rules', 'phonenumbers', 'names') if m in sys.modules));"
        "guard.privacy_scan('Call her son on +44 7911 123456.');"
        "print(sorted(m for m in ('campaigns.privacy_rules', 'phonenumbers') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert output == ["[]", "['campaigns.privacy_rules', 'phonenumbers']"]

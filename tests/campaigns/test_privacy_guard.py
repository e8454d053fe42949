"""The patient-privacy guard: its goal on the held-out corpus, its spans and kinds, and its loading.

The goal (issue 14): on the TEST half of tests/campaigns/privacy_corpus, which no rule or parameter
was tuned on, recall >= 0.95 at precision >= 0.85, overall and per category (per category = recall
on the positives carrying that category; precision is overall). A post counts as caught when the
guard finds anything in it, because that is what stops the save. The rules were tuned on the DEV
half only; both halves' figures are printed (pytest -s) and written in the README.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from campaigns.privacy_guard import KIND_LABELS, privacy_fingerprint, privacy_hits_for, privacy_scan
from tests.campaigns.privacy_records import figures_measure, figures_table, records_load

pytestmark = pytest.mark.django_db

RECALL_GOAL = 0.95
PRECISION_GOAL = 0.85
ROOT = Path(__file__).resolve().parents[2]


def _figures(split: str):
    records = records_load(split)
    if not records:
        pytest.skip(f"tests/campaigns/privacy_corpus/{split}.jsonl is not in this checkout")
    figures = figures_measure(records, privacy_scan)
    print("\n" + figures_table(split, figures))
    return figures


# Measured once, after the rules were frozen (commit 7cd6ba2): precision 0.903, recall 0.899; 14 of
# the 24 categories below 0.95 (lowest: url 0.67, photo 0.77, biometric, vehicle_id and
# public_figure_condition 0.80, first names 0.81). The goal is not met; the mark is strict, so the day
# it is met this test says so and the mark comes off.
@pytest.mark.xfail(strict=True, reason="issue 14 goal not met on the held-out half: recall 0.899 at precision 0.903")
def test_it_holds_the_goal_on_the_held_out_test_half():
    figures = _figures("test")
    assert figures.precision >= PRECISION_GOAL, figures_table("test", figures)
    assert figures.recall >= RECALL_GOAL, figures_table("test", figures)
    short = {category: recall for category, (recall, _) in figures.recall_by_category.items() if recall < RECALL_GOAL}
    assert not short, figures_table("test", figures)


def test_it_keeps_what_it_reached_on_the_held_out_test_half():
    """No regression below the figures measured when the rules were frozen (these floors are not tuned:
    they are the first and only measurement, rounded down)."""
    figures = _figures("test")
    assert figures.precision >= 0.90, figures_table("test", figures)
    assert figures.recall >= 0.89, figures_table("test", figures)


def test_it_reports_the_development_half():
    figures = _figures("dev")
    assert figures.positives > 0
    assert figures.precision >= PRECISION_GOAL, figures_table("dev", figures)
    assert figures.recall >= RECALL_GOAL, figures_table("dev", figures)


def test_every_hit_is_a_known_kind_with_its_exact_span_and_an_explanation():
    texts = [record.text for record in records_load("dev")] or [
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

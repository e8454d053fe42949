"""The patient-privacy guard: its development figures, its spans and kinds, the learned scorer, and its loading.

The goal (issue 14): on a held-out corpus no rule or parameter was tuned on, recall >= 0.95 at precision
>= 0.85, overall and per category (per category = recall on the positives carrying that category; precision
is overall). A post counts as caught when the guard finds anything in it, because that is what stops the save.

Round 7: v1..v6 (4,923 posts) are all development data: the rules were tuned on misses of v1..v6 and both
learned layers (campaigns/privacy_model.json, campaigns/privacy_hit_model.json) are trained on all six. Round 8
adds v7 (5,523 posts, v1..v7), with rules tuned on misses of v5..v7 under leave-one-corpus-out. Round 9 adds
v8 (7,179 posts, v1..v8), with rules tuned on misses of v8 (measured under the round-8 guard). The figures
below are therefore training figures (dev floors) and say nothing about new text; the guard's expected
figures on new text come from leaving one corpus out (tests/campaigns/privacy_corpus/train.py --cv, in the
README), and the held-out measurement of round 7 is v7, measured once by tests/campaigns/privacy_corpus/measure.py.
The floors here only keep what the frozen guard reached (rounded down, not tuned).
"""

import functools
import json
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

# One xdist worker scans each corpus once (_figures is cached per process) for every goal that reads it. The
# guard reads no clock, so the suite at period boundaries (make test-boundaries) leaves these out.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("privacy_corpus"), pytest.mark.privacy_corpus]

ROOT = Path(__file__).resolve().parents[2]


def _records(split: str):
    records = records_load(split)
    if not records:
        pytest.skip(f"tests/campaigns/privacy_corpus/{split}.jsonl is not in this checkout")
    return records


@functools.cache
def _figures(split: str):
    # The guard is frozen within a run: each corpus is scanned once however many goals read it.
    figures = figures_measure(_records(split), privacy_scan)
    print("\n" + figures_table(split, figures))
    return figures


# Dev floors: training figures of the frozen round-9 guard (rules + "not a patient" context + hit layer >= 0.55 +
# post scorer >= 0.6, both learned layers trained on v1..v8, rules tuned on misses of v4..v8): precision / recall
# v1 dev 0.980 / 1.000, v1 test 0.988 / 0.980, v2 dev 1.000 / 0.991, v2 test 1.000 / 0.996, v3 0.975 / 1.000,
# v4 0.972 / 0.991, v5 0.972 / 1.000, v6 0.964 / 1.000, v7 0.964 / 0.997, v8 0.990 / 0.992. Training precision fell
# 1-2 points from round 8 (trained on v1..v7: v1 dev 0.996 / 1.000, v1 test 0.992 / 0.988, v2 dev 1.000 / 0.991,
# v2 test 1.000 / 0.998, v3 0.980 / 1.000, v4 0.983 / 0.988, v5 0.983 / 1.000, v6 0.986 / 1.000, v7 0.972 / 0.997)
# as v8's 1,656 posts joined the training data. They say nothing about new text: the estimate for that is
# leave-one-corpus-out (train.py --cv, README), and the held-out measurement of round 7 is v7 (measure.py, by the
# lead, once).
@pytest.mark.parametrize(
    ("split", "precision", "recall"),
    [
        ("dev", 0.97, 0.99),
        ("test", 0.98, 0.97),
        ("v2/dev", 0.99, 0.99),
        ("v2/test", 0.99, 0.99),
        ("v3/test", 0.97, 0.99),
        ("v4/test", 0.97, 0.98),
        ("v5/test", 0.97, 0.99),
        ("v6/test", 0.96, 0.99),
        ("v7/test", 0.95, 0.99),
        ("v8/test", 0.98, 0.99),
    ],
)
def test_it_keeps_its_development_figures(split, precision, recall):
    figures = _figures(split)
    assert figures.precision >= precision, figures_table(split, figures)
    assert figures.recall >= recall, figures_table(split, figures)
    if split.startswith("v2"):
        families = figures_by_family(_records(split), privacy_scan)
        print("\n" + family_table(split, families))
        assert families.recall >= 0.97, family_table(split, families)


# v3 (600 posts by three authors who never saw the guard) was measured once, held out, on the round-3 guard:
# precision 0.769, recall 0.980. Training data since round 4: round 7 reaches 0.980 / 1.000 on it and, for the
# first time, 0.95 in every category (a training figure, not evidence about new text).
def test_it_holds_the_goal_on_v3():
    figures = _figures("v3/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v3", figures)


# v4 (600 posts by three new authors) was measured once, held out, on the frozen round-4 guard: precision 0.829,
# recall 0.928, 13 categories below 0.95. Training data since round 5: 0.991 / 0.986, still below 0.95 in three
# categories (child_name_town, date, public_figure_condition), so it stays a strict xfail. Leave-one-corpus-out
# (both learned layers trained on v1 + v2 + v3 only, as the frozen round-4 guard was) estimates round 5 on v4 at
# 0.835 / 0.939 (README). Round 7 as training data: 0.986 / 0.994, public_figure_condition still below 0.95.
# Round 8 as training data: 0.983 / 0.988, three below 0.95 (child_name_town, mrn, public_figure_condition 0.933).
# Round 9 as training data: 0.972 / 0.991, two below 0.95 (mrn, public_figure_condition).
@pytest.mark.xfail(strict=True, reason="issue 14: v4 (training data since round 5) per category: 2 below 0.95")
def test_it_holds_the_goal_on_v4():
    figures = _figures("v4/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v4", figures)


def test_the_hit_layer_keeps_the_rules_kind_span_and_explanation():
    """The hit layer only chooses among the recognisers' hits: what a save stops on is one of them, unchanged."""
    from campaigns import privacy_rules

    texts = [record.text for record in records_load("v4/test")][:200] or [
        "Maria Lopez (room 412, MRN 4481230) went home today; call her son on +44 7911 123456."
    ]
    kept = 0
    for text in texts:
        found = privacy_rules.evidence(text).found
        for hit in privacy_scan(text):
            if hit.kind != "patient_detail":
                assert hit in found, (text, hit)
                kept += 1
    assert kept


# Held out: v5 (600 posts by three new authors, written blind while round 5 was tuned blind to them), measured
# once on the frozen round-5 guard: precision 0.890, recall 0.960: the overall goal is met on text nobody tuned
# on. Per category it is not: 8 below 0.95 (public_figure_condition 0.812, date 0.895, first_name 0.919, name
# 0.929, account 0.933, ssn 0.938, other_unique_code 0.938, geographic 0.941). The round-4 guard on the same
# posts: 0.861 / 0.931. v5 is spent: round 6 tuned its rules on v5's misses and trains on it; as training data the
# round-7 guard reaches 0.986 / 1.000 on it (a floor above) and 0.95 in every category (training figures).
def test_it_meets_the_overall_goal_on_the_v5_held_out_corpus():
    figures = _figures("v5/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95, figures_table("v5", figures)


def test_it_holds_the_goal_per_category_on_the_v5_corpus_as_training_data():
    figures = _figures("v5/test")
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v5", figures)


# Held out: v6 (600 posts by three new authors, written blind while round 6 was tuned blind to them), measured
# once on the frozen round-6 guard: precision 0.909, recall 0.922 (rules + context alone 0.881 / 0.858); 16
# categories below 0.95 (rare_condition_place_time 0.688, vehicle_id 0.812, account 0.875, photo and
# other_unique_code 0.882, public_figure 0.895, date 0.909, ...). The round-5 guard on the same posts: 0.895 /
# 0.916. The overall goal met on v5 (0.890 / 0.960) does not hold on v6: recall fails. v6 is spent: round 7 tuned
# rules on its misses and trains on it. Leaving v6 out of training (rules as of round 7) estimates 0.891 / 0.968;
# as training data the round-7 guard reaches 0.989 / 1.000 and 0.95 in every category (training figures).
def test_it_holds_the_goal_on_the_v6_corpus_as_training_data():
    figures = _figures("v6/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95, figures_table("v6", figures)
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v6", figures)


# Held out: v7 (600 posts by three new authors, committed before round 7 was tuned; round 7 tuned on v1..v6
# only), measured once on the frozen round-7 guard: precision 0.883, recall 0.980 — the overall goal met on text
# nobody tuned on. Per category it was not: 5 of 24 missed one post each (child_name_town, email, mrn, url 0.947
# of 19; health_plan_id 0.944 of 18); the other 19 were 0.981-1.000. v7 is spent: round 8 tuned rules on its
# misses and trains on it. Leaving v7 out of training (rules as of round 8) estimates 0.884 / 0.991; as training
# data the round-8 guard must hold the goal overall and in every category (training figures).
def test_it_holds_the_goal_on_the_v7_corpus_as_training_data():
    figures = _figures("v7/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95, figures_table("v7", figures)
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v7", figures)


# Held out: v8 (1,656 posts by six new authors, 54+ positives a category, committed before round 8 was tuned;
# round 8 tuned on v1..v7 only), measured once on the frozen round-8 guard: precision 0.957, recall 0.938. The
# overall goal was not met on it (recall), although v7 met it; per category 14 of 24 were below 0.95, the lowest
# public_figure_condition 0.815, ssn 0.870, date 0.897 (README "Held out: v8"). Precision held with a margin.
# v8 is spent: round 9 tuned rules on its misses and trains on it. Leaving v8 out of training (rules as of round 9)
# estimates 0.964 / 0.943 (13 of 24 categories below 0.95); as training data the round-9 guard must hold the goal
# overall and in every category (training figures).
def test_it_holds_the_goal_on_the_v8_corpus_as_training_data():
    figures = _figures("v8/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95, figures_table("v8", figures)
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v8", figures)


# Held out: v9 (1,620 posts by five new authors, 55+ positives a category, committed before round 9 was tuned;
# round 9 tuned on v1..v8 only), measured once on the frozen round-9 guard: precision 0.959, recall 0.947 -- the
# overall goal missed by 0.003 of recall; per category 11 of 24 below 0.95, the lowest name 0.888, url and
# public_figure_condition 0.891, child_name_town 0.909 (README "Held out: v9"). Precision holds with a margin.
def test_it_keeps_precision_on_the_v9_held_out_corpus():
    figures = _figures("v9/test")
    assert figures.precision >= 0.85, figures_table("v9", figures)


@pytest.mark.xfail(strict=True, reason="issue 14: held-out v9 recall 0.947 (goal 0.95)")
def test_it_meets_the_overall_goal_on_the_v9_held_out_corpus():
    figures = _figures("v9/test")
    assert figures.precision >= 0.85 and figures.recall >= 0.95, figures_table("v9", figures)


@pytest.mark.xfail(strict=True, reason="issue 14: held-out v9 per category: 11 of 24 categories below 0.95")
def test_it_holds_the_goal_per_category_on_the_v9_held_out_corpus():
    figures = _figures("v9/test")
    assert all(recall >= 0.95 for recall, _ in figures.recall_by_category.values()), figures_table("v9", figures)


def test_every_hit_is_a_known_kind_with_its_exact_span_and_an_explanation():
    texts = [record.text for record in records_load("dev") + records_load("v2/dev")] or [
        "Maria Lopez (room 412, MRN 4481230) went home today; call her son on +44 7911 123456."
    ]
    learned = 0
    for text in texts:
        for hit in privacy_hits_for(text):
            assert hit["kind"] in KIND_LABELS
            assert text[hit["start"] : hit["end"]] == hit["text"] != ""
            assert hit["explanation"] and hit["label"] == KIND_LABELS[hit["kind"]]
            learned += hit["kind"] == "patient_detail"
    assert learned, "no post of the development corpus needed the learned scorer"


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


def test_the_rules_know_round_9_formats_by_their_shape_or_check_digit():
    """National ids with their check digit or written shape, a Medicare beneficiary identifier, a number read out in
    words, a name spelled letter by letter, plates of other countries and room words of other languages."""
    from campaigns import privacy_rules

    cases = {
        "his number 12 150562 M 019 was on the letter": ("ssn", "12 150562 M 019"),
        "the CPF 123.456.789-00 was printed next to her name": ("ssn", "123.456.789-00"),
        "she read 2AC3-DE4-FG56 out twice to the rep": ("health_plan_id", "2AC3-DE4-FG56"),
        "his hospital number is seven seven one, four oh two, nine nine eight": (
            "mrn",
            "seven seven one, four oh two, nine nine eight",
        ),
        "well done M-A-R-I-S-O-L, last dose today": ("name", "M-A-R-I-S-O-L"),
        "the man with the QRS4T56 plate waits outside every day, he is scared to come in": (
            "vehicle_id",
            "QRS4T56",
        ),
        "the patient in Zimmer 17 refused his dinner again": ("room_bed_unit", "Zimmer 17"),
    }
    for text, expected in cases.items():
        assert expected in [(hit.kind, hit.text) for hit in privacy_rules.scan(text)], text


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


def test_the_learned_scorer_names_the_sentence_of_a_post_the_rules_let_through():
    """No name, number or place the rules know by shape: a patient singled out by story. The scorer points at
    the sentence that weighs most and says which words made it."""
    text = (
        "Lovely morning. Held the hand of the retired postman from the corner shop on his last night with us. "
        "His daughter flew in too late."
    )
    from campaigns import privacy_rules

    assert privacy_rules.scan(text) == []
    [hit] = privacy_hits_for(text)
    assert hit["kind"] == "patient_detail" and hit["label"] == KIND_LABELS["patient_detail"]
    assert hit["text"].startswith("Held the hand of the retired postman") and hit["text"] in text
    assert text[hit["start"] : hit["end"]] == hit["text"]
    assert "score" in hit["explanation"] and "“his”" in hit["explanation"]


def test_the_learned_scorer_does_not_stop_general_advice_with_nothing_specific_in_it():
    """Wording alone is not enough: the scorer speaks only when the post holds something that could single a
    person out (a particular patient, he or she, a name or capitalised word, a number, code, link or handle)."""
    for text in [
        "Why your blood pressure reading at home may differ from the clinic, and what to do about it.",
        "Three things I wish every parent knew about fever in toddlers.",
        "Antibiotics do not treat colds. Here is what actually helps you recover.",
    ]:
        assert privacy_scan(text) == [], text


def test_the_weights_are_the_committed_training_run():
    splits = ("dev", "test", "v2/dev", "v2/test", "v3/test", "v4/test", "v5/test", "v6/test", "v7/test", "v8/test")
    for name in ("privacy_model.json", "privacy_hit_model.json"):
        data = json.loads((ROOT / "campaigns" / name).read_text(encoding="utf-8"))
        assert data["posts"] == sum(len(records_load(split)) for split in splits), name
        assert 0.4 <= data["threshold"] < 1 and len(data["weights"]) > 1000, name


def test_a_fingerprint_names_the_hits_not_their_positions():
    hits = privacy_hits_for("Mrs. Alvarez was admitted with pneumonia.")
    moved = privacy_hits_for("Sad news. Mrs. Alvarez was admitted with pneumonia.")
    assert hits[0]["start"] != moved[0]["start"]
    assert privacy_fingerprint(hits) == privacy_fingerprint(moved) != ""
    assert privacy_fingerprint([]) == ""


def test_importing_the_guard_loads_no_rules_names_or_phone_metadata():
    """Every web and worker process imports the guard through the services: the rules, the scorer's weights,
    the name lists and libphonenumber load on the first scan, not at process start."""
    code = (
        "import sys, campaigns.privacy_guard as guard;"
        "mods = ('campaigns.privacy_rules', 'campaigns.privacy_model', 'campaigns.privacy_hit_model', 'phonenumbers',"
        " 'names');"
        "print(sorted(m for m in mods if m in sys.modules));"
        "guard.privacy_scan('Call her son on +44 7911 123456.');"
        "print(sorted(m for m in mods[:4] if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert output == [
        "[]",
        "['campaigns.privacy_hit_model', 'campaigns.privacy_model', 'campaigns.privacy_rules', 'phonenumbers']",
    ]


def test_what_says_a_post_holds_no_patient_sets_its_hits_aside():
    """Fiction and teaching cases, the clinician's own details and family, officials and colleagues in their
    role, public disclosures, aggregate figures, job adverts, empty rooms and product recalls hold nobody in
    the clinician's care; the same details beside a particular patient still stop the save."""
    for text in [
        "Tutorial case (fictional): Mr Owen Price, 61, a retired postman from Bangor, has sudden weakness. Your plan?",
        "Sim lab today: our manikin Betty arrested three times and the students got faster every time.",
        "My CGM keeps failing. Serial 8Q2LK77 if the manufacturer is reading, that's two sensors this week.",
        "My son Oscar (9) broke his arm at football in Leeds yesterday and I was a useless nurse-parent.",
        "Congratulations to Dr Miriam Osei on her appointment as Director of Nursing for Harrogate.",
        "We're hiring! Band 6 nurses for Ward 14 (cardiology) at St Anne's. Apply by Friday.",
        "A recall notice for batch 7731K of an insulin pen needle: check your stock and pull them.",
        "Our clinic screened 2,140 adults in Dundee between March and June; 18% had raised blood pressure.",
    ]:
        assert privacy_scan(text) == [], (text, privacy_scan(text))
    for text in [
        "My patient Owen Price, 61, a retired postman from Bangor, came in with sudden weakness.",
        "Her CGM serial 8Q2LK77 was on the referral; she was admitted overnight.",
        "We admitted the mayor of Harrogate to our ICU last night with chest pain.",
    ]:
        assert privacy_scan(text), text


def test_national_identity_numbers_by_country_format_and_check_digit():
    """Round 6: national ids of other countries by their format, counted on a valid check digit or a label naming
    the scheme; an ordinary number of the same length is not one."""
    from campaigns import privacy_national_ids

    def schemes(text):
        return [number.scheme for number in privacy_national_ids.find(text)]

    assert schemes("CPF 529.982.247-25 on the form") == ["Brazilian CPF"]  # valid check digits, also labelled
    assert schemes("ref 529.982.247-25") == ["Brazilian CPF"]  # the check digits alone are enough
    assert schemes("ref 529.982.247-26") == []  # wrong check digit, no label
    assert schemes("her CPF (381.226.470-15) was in the chat") == ["Brazilian CPF"]  # labelled, made-up number
    assert schemes("DNI 12345678Z") == ["Spanish DNI or NIE"] and schemes("code 12345678A") == []
    assert schemes("BSN 111222333") == ["Dutch BSN"] and schemes("we saw 111222333 views") == []
    assert schemes("Aadhaar 2345 6789 0124") == ["Indian Aadhaar"]
    assert schemes("Call 020 7946 0958 or 0412 345 678; 2023-2024 data") == []
    # Round 9: MyKad by its birth date and birthplace code, the German pension number by its check digit, the NZ NHI
    # only when labelled.
    assert schemes("left 850101-14-5678 at the counter") == ["Malaysian MyKad"]
    assert schemes("left 851301-14-5678 at the counter") == []  # month 13
    assert schemes("number 12 150562 M 019") == ["German pension insurance number"]
    assert schemes("number 12 150562 M 012") == []  # wrong check digit
    assert schemes("her NHI is ZAB12CD") == ["New Zealand NHI"] and schemes("code ZAB12CD") == []
    [hit] = privacy_scan("Estagiários: the CPF of my patient (381.226.470-15) does NOT belong in the group chat.")
    assert (hit.kind, hit.text) == ("ssn", "381.226.470-15") and "CPF" in hit.explanation


def test_round_six_evidence_of_a_person_in_care():
    """Fame without a role word tied to the clinician's own list, honorifics and patronymics, custody cells, and a
    labelled code introduced as someone else's, each in its own sentence."""
    assert [
        hit.kind for hit in privacy_scan("One of reggae's biggest names sat in my rheum clinic chair with gout.")
    ] == ["public_figure_condition"]
    assert [hit.kind for hit in privacy_scan("Cell 14 B-pod: day 3 on suicide watch, still no psych review.")][:1] == [
        "room_bed_unit"
    ]
    hits = privacy_scan("Put $20 on his inmate trust account #5512-0481 out of my own pocket so he can buy soap.")
    assert [hit.kind for hit in hits] == ["account_number"]
    for text in [
        "Thank you to our mayor for opening the new diabetes centre in the town hall.",
        "Sickle cell 22 years on: what has changed in pain management?",
    ]:
        assert privacy_scan(text) == [], (text, privacy_scan(text))

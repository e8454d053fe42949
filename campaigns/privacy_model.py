"""The privacy guard's learned scorer: a logistic regression over a post's words and the rules' evidence.

The rules (campaigns.privacy_rules) find identifiers by their shape and context, and they miss posts
whose wording they have no pattern for. This scorer reads the whole post and says how much it looks
like the labelled posts that identify a patient (tests/campaigns/privacy_corpus, v1 and v2): it is a
second opinion that catches a post the rules let through, never a reason to drop a rule's hit.

Features, each present or absent (no counts), so a long post is not a positive for being long:
- words and word pairs, lower-cased, with numbers, codes and names replaced by their shape
  ("#d3" a three-digit number, "#code" letters and digits, "#first"/"#last" a capitalised word in the
  US Census name lists, "#cap" another capitalised word inside a sentence), so "Room 412" and
  "room 207" are one feature and a name the lists know generalises to every name;
- what the rules' context patterns say about the sentences: one names a particular patient, a care
  event (or both at once), the clinician's own story, logistics, population figures or research.

The weights are plain JSON (`privacy_model.json`), trained by
`python tests/campaigns/privacy_corpus/train.py` (pure Python, seeded, reproducible) and read on the
first scan. Pure Python at run time: no numpy, no model download.
"""

import functools
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent / "privacy_model.json"

TOKEN = re.compile(
    r"(?P<url>https?://\S+|www\.\S+|\b[\w.-]+@[\w-]+\.[\w.]+)"
    r"|(?P<handle>(?<![\w])[@#][A-Za-z0-9_.]+)"
    r"|(?P<code>\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*\b)"
    r"|(?P<number>\d+(?:[.,:/-]\d+)*)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)?)"
)
SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*|[\"'(\u201c]\s*)$")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    feature: str  # what the model sees: a lower-case word or a shape


def tokens(text: str) -> list[Token]:
    """The post's tokens, each as the feature the model reads (its word, or the shape of a number, code or name)."""
    from campaigns.privacy_rules import _name_lists

    first_names, surnames = _name_lists()
    found = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group(0)
        if kind == "url":
            feature = "#url"
        elif kind == "handle":
            feature = "#tag" if value.startswith("#") else "#handle"
        elif kind == "code":
            feature = "#code"
        elif kind == "number":
            digits = sum(character.isdigit() for character in value)
            feature = f"#d{min(digits, 9)}" if value.isdigit() else f"#n{min(digits, 9)}"
        elif value[0].isupper() and not value.isupper() and not SENTENCE_START.search(text[: match.start()]):
            if value in first_names:
                feature = "#first"
            elif value in surnames:
                feature = "#last"
            else:
                feature = "#cap"
        else:
            feature = value.lower().replace("\u2019", "'")
        found.append(Token(match.start(), match.end(), feature))
    return found


def features(text: str, sentence_flags: set[str]) -> tuple[list[Token], set[str]]:
    """The tokens and the set of features the model reads for one post.

    The rules' hits are deliberately not features: the rules were tuned on the training posts, so there they
    look nearly infallible and a model trained with them learns only to repeat them (measured: on v2 test,
    rules tuned on the dev halves plus a model with their hits as features caught nothing the rules missed).
    The scorer is trained to find evidence of its own, and a post is stopped when either finds something."""
    found = tokens(text)
    names = {f"w:{token.feature}" for token in found}
    names |= {f"b:{a.feature} {b.feature}" for a, b in itertools.pairwise(found)}
    names |= {f"s:{flag}" for flag in sentence_flags}
    return found, names


# Words too common to explain anything to a clinician, left out of the "most telling" words (not of the score).
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "for",
        "with",
        "by",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "are",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "i",
        "we",
        "you",
        "my",
        "our",
        "your",
        "me",
        "us",
        "after",
        "before",
        "again",
        "back",
        "just",
        "so",
        "very",
    ]
)
SPECIFIC_SHAPES = frozenset(("#first", "#last", "#cap", "#code", "#url", "#handle"))
THIRD_PERSON = frozenset(("he", "she", "his", "her", "him", "hers", "he's", "she's", "they're"))


def specific(found: list[Token], sentence_flags: set[str]) -> bool:
    """Whether the post holds anything that could single someone out: a particular patient, a person
    spoken of as he or she, a name or other capitalised word inside a sentence, a number, code, link or
    handle. General advice ("why your blood pressure reading at home may differ") holds none, and the
    scorer's opinion of its wording alone is not enough to stop it."""
    if "patient" in sentence_flags:
        return True
    return any(
        token.feature in SPECIFIC_SHAPES or token.feature in THIRD_PERSON or token.feature[:2] in ("#d", "#n")
        for token in found
    )


@functools.cache
def _weights() -> tuple[dict[str, float], float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data["weights"], float(data["bias"]), float(data["threshold"])


def probability(names: set[str], weights: dict[str, float], bias: float) -> float:
    z = bias + sum(weights.get(name, 0.0) for name in names)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Verdict:
    score: float
    threshold: float
    start: int
    end: int
    words: tuple[str, ...]  # the words that pushed the score up most, in the post's own spelling


# Round 7 lowered the scorer's threshold for recall; a post whose context speaks of the clinician's own family or
# body ("my son broke his arm") keeps the earlier, stricter one, since its wording is a patient story's.
OWN_LIFE_THRESHOLD = 0.7


def threshold_for(threshold: float, sentence_flags: set[str]) -> float:
    """The score from which the scorer stops a post: stricter when the post speaks of the clinician's own life."""
    return max(threshold, OWN_LIFE_THRESHOLD) if "not_own_life" in sentence_flags else threshold


def judge(text: str, sentence_flags: set[str], sentences: list[tuple[int, int]]) -> Verdict:
    """The scorer's verdict on a post, and the sentence that weighs most towards it (for the span)."""
    weights, bias, threshold = _weights()
    threshold = threshold_for(threshold, sentence_flags)
    found, names = features(text, sentence_flags)
    score = probability(names, weights, bias) if specific(found, sentence_flags) else 0.0
    # Where the evidence sits: each token's weight (and its pair with the next), summed per sentence.
    best, best_weight, contributions = (0, len(text)), -math.inf, []
    for index, token in enumerate(found):
        weight = weights.get(f"w:{token.feature}", 0.0)
        if index + 1 < len(found):
            weight += weights.get(f"b:{token.feature} {found[index + 1].feature}", 0.0)
        contributions.append((weight, token))
    for start, end in sentences or [(0, len(text))]:
        total = sum(weight for weight, token in contributions if start <= token.start < end)
        if total > best_weight:
            best, best_weight = (start, end), total
    start, end = best
    inside = [
        (weight, token)
        for weight, token in contributions
        if start <= token.start < end and weight > 0 and token.feature not in FUNCTION_WORDS
    ]
    top = sorted(inside, key=lambda pair: -pair[0])[:3]
    words = tuple(dict.fromkeys(text[token.start : token.end] for _, token in sorted(top, key=lambda p: p[1].start)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Verdict(score=score, threshold=threshold, start=start, end=end, words=words)

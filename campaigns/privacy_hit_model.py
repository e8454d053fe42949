"""The privacy guard's second learned layer: each rule hit scored in its context (keep it, or set it aside).

The rules (campaigns.privacy_rules) find identifiers by shape and by the sentence around them, and their
"not a patient" context (campaigns.privacy_context) sets aside the hits it can explain. On text by new
authors both err: hits on details that belong to nobody in the clinician's care stay, and a few true
leaks are set aside. This layer reads every hit the recognisers found, before and after that context, as
a logistic regression over general evidence, never over the hit's own words:
- the hit's kind and which recogniser rule found it (its explanation, without the quoted text);
- whether the context set it aside, and each reason near it (own details, public role, aggregate...);
- what its sentence and its neighbours are about (a particular patient, a care event, the clinician's
  own story; a he or she; the clinician's care tied to someone; the post is fiction or teaching);
- the words of its sentence and the few words either side of it, as the scorer's shapes (so "Room 412"
  and "room 207" are one feature, and any name the Census lists know is "#first"/"#last");
- how many hits and kinds the post holds.
It is trained on every hit (also those the context set aside, so it learns what that context knows); at
scan time it scores the hits that stand after the context, and one whose score reaches the threshold is
kept, with its kind, span and explanation as the rules wrote them. Trained, like the post scorer, by
`python tests/campaigns/privacy_corpus/train.py --write` on every labelled post (a hit in a post that
identifies a patient is a keep, in one that does not a set-aside); weights in `privacy_hit_model.json`,
read on the first scan. Pure Python.
"""

import bisect
import functools
import itertools
import json
import re
from pathlib import Path

from campaigns.privacy_guard import PrivacyHit

WEIGHTS = Path(__file__).resolve().parent / "privacy_hit_model.json"
WINDOW = 3  # tokens either side of a hit read as its immediate context
NOT_WORDS = re.compile(r"\([^)]*\)|“[^”]*”|\"[^\"]*\"|:.*$|[^a-z ]+")


def rule_of(hit: PrivacyHit) -> str:
    """Which recogniser rule found the hit: its explanation without the quoted text, numbers or label values."""
    words = NOT_WORDS.sub(" ", hit.explanation.lower()).split()
    return " ".join(words[:6])


def features(doc, tokens, found: list[PrivacyHit], kept: list[PrivacyHit], post_flags) -> list[set[str]]:
    """The features of each hit in `found` (every recogniser's hit), in the same order."""
    from campaigns import privacy_context

    if not found:
        return []
    sentences = doc.sentences
    reasons = [privacy_context.sentence_reasons(s.text) for s in sentences]
    fiction = privacy_context.post_is_fiction(doc.text)
    pronoun = [bool(privacy_context.PRONOUN.search(s.text)) for s in sentences]
    tie = [bool(privacy_context.CARE_TIE.search(s.text)) for s in sentences]
    kept_spans = {(hit.kind, hit.start, hit.end) for hit in kept}
    kinds = {hit.kind for hit in found}
    kept_kinds = {hit.kind for hit in kept}
    post = {f"p:{flag}" for flag in post_flags}
    post |= {f"nk:{min(len(kinds), 3)}", f"nh:{min(len(found), 4)}", f"nkept:{min(len(kept_kinds), 2)}"}
    if fiction:
        post.add("fiction")
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    by_sentence: dict[int, set[str]] = {}  # each sentence's word and pair features, computed once
    rows = []
    for hit in found:
        kind = hit.kind
        index = doc.index_at(hit.start)
        near = range(max(0, index - 1), min(len(sentences), index + 2))
        here = sentences[index] if sentences else None
        names = {f"k:{kind}", f"e:{kind}:{rule_of(hit)}"} | post
        aside = (kind, hit.start, hit.end) not in kept_spans
        names.add(f"aside:{aside}")
        names.add(f"ka:{kind}:{aside}")
        if here is not None:
            for flag in ("patient", "care", "own"):
                if getattr(here, flag):
                    names |= {f"h:{flag}", f"kh:{kind}:{flag}"}
                if any(getattr(sentences[i], flag) for i in near if i != index):
                    names.add(f"n:{flag}")
            for i in near:
                where = "h" if i == index else "n"
                names |= {f"r{where}:{reason}" for reason in reasons[i]}
                names |= {f"kr:{kind}:{reason}" for reason in reasons[i]}
            if pronoun[index]:
                names.add("h:pronoun")
            if any(pronoun[i] for i in near):
                names.add("n:pronoun")
            if any(tie[i] for i in near):
                names |= {"n:tie", f"kt:{kind}"}
            if index not in by_sentence:
                inside = tokens[bisect.bisect_left(starts, here.start) : bisect.bisect_left(starts, here.end)]
                words = {f"w:{t.feature}" for t in inside}
                by_sentence[index] = words | {f"b:{a.feature} {b.feature}" for a, b in itertools.pairwise(inside)}
            names |= by_sentence[index]
        position = bisect.bisect_right(ends, hit.start)  # the first token ending after the hit starts
        after = bisect.bisect_left(starts, hit.end, lo=position)  # the first token starting at or after its end
        names |= {f"l:{t.feature}" for t in tokens[max(0, position - WINDOW) : position]}
        names |= {f"r:{t.feature}" for t in tokens[after : after + WINDOW]}
        names |= {f"t:{t.feature}" for t in tokens[position:after]}
        rows.append(names)
    return rows


@functools.cache
def _weights() -> tuple[dict[str, float], float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data["weights"], float(data["bias"]), float(data["threshold"])


def keep(evidence, tokens) -> list[PrivacyHit]:
    """The hits worth stopping a save on: each hit that stands after the rules' "not a patient" context is
    scored in its context, and those at or above the threshold are kept, with the kind, span and
    explanation the rules wrote. A hit the context set aside never comes back (measured: letting the layer
    restore them cost precision on every left-out corpus and gained no recall)."""
    from campaigns import privacy_model

    if not evidence.hits:
        return []
    weights, bias, threshold = _weights()
    rows = features(evidence.doc, tokens, evidence.found, evidence.hits, evidence.flags)
    score = {
        (hit.kind, hit.start, hit.end): privacy_model.probability(names, weights, bias)
        for hit, names in zip(evidence.found, rows, strict=True)
    }
    return [hit for hit in evidence.hits if score.get((hit.kind, hit.start, hit.end), 1.0) >= threshold]

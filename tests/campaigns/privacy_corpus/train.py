"""Train the privacy guard's learned scorer (campaigns/privacy_model.json) and measure it by grouped cross-validation.

    python tests/campaigns/privacy_corpus/train.py --cv      # grouped 5-fold CV and cross-corpus figures
    python tests/campaigns/privacy_corpus/train.py --write   # train on all of v1..v8, write the weights

Pure Python (no numpy): logistic regressions with L2 penalty fitted by seeded stochastic gradient
descent: the post scorer over the features of campaigns.privacy_model, and (round 5) the hit layer over
the features of campaigns.privacy_hit_model, one row per recogniser hit, labelled by its post. Training
data: every post of v1..v8 (all spent as held-out sets, so all development data now; v7 joined in round 8, v8 in
round 9). The thresholds are chosen by leaving one corpus out (train on seven, measure on the eighth), not pooled
CV. Folds are grouped: the renderings of one v2 family ("[f123]" in the note) never straddle folds, and a v1 post is
its own group. The same seed gives the same weights, byte for byte.
"""

import argparse
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from campaigns import privacy_hit_model, privacy_model, privacy_rules  # noqa: E402
from tests.campaigns.privacy_records import Record, records_load  # noqa: E402

SPLITS = ("dev", "test", "v2/dev", "v2/test", "v3/test", "v4/test", "v5/test", "v6/test", "v7/test", "v8/test")
CORPORA = ("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8")
SEED = 20261203
EPOCHS = 12
L2 = 1e-3  # chosen by the CV below among 3e-5 ... 1e-2
LEARNING_RATE = 0.2
MIN_DOCUMENTS = 2  # a feature seen in fewer training posts is dropped
POSITIVE_WEIGHT = 1.0


def corpus() -> list[tuple[str, Record]]:
    return [(split, record) for split in SPLITS for record in records_load(split)]


def group_of(split: str, record: Record) -> str:
    return f"v2:{record.family}" if split.startswith("v2") and record.family else f"{split}:{record.id}"


def featurise(records: list[Record]) -> tuple[list[set[str]], list[bool]]:
    """Each post's features (rules run once per post) and whether the rules flagged it."""
    rows, flagged = [], []
    GATE.clear()
    OWN_LIFE.clear()
    HITS.clear()
    STANDING.clear()
    for record in records:
        found = privacy_rules.evidence(record.text)
        tokens, names = privacy_model.features(record.text, set(found.flags))
        rows.append(names)
        flagged.append(bool(found.hits))
        GATE.append(privacy_model.specific(tokens, set(found.flags)))
        OWN_LIFE.append("not_own_life" in found.flags)
        HITS.append(privacy_hit_model.features(found.doc, tokens, found.found, found.hits, found.flags))
        standing = {(hit.kind, hit.start, hit.end) for hit in found.hits}
        STANDING.append([(hit.kind, hit.start, hit.end) in standing for hit in found.found])
    return rows, flagged


GATE: list[bool] = []  # per post of the last featurise(): privacy_model.specific
OWN_LIFE: list[bool] = []  # per post: its context speaks of the clinician's own life (privacy_model.threshold_for)
HITS: list[list[set[str]]] = []  # per post of the last featurise(): each recogniser hit's features
STANDING: list[list[bool]] = []  # per post: whether each of those hits stands after the rules' context


def fit_hits(posts: list[int], labels: list[bool]) -> tuple[dict[str, float], float]:
    """The hit layer, trained on every hit of the given posts (a hit is a keep when its post is a positive)."""
    rows = [names for i in posts for names in HITS[i]]
    return fit(rows, [labels[i] for i in posts for _ in HITS[i]])


def guard_flags(posts, post_scores, hit_models_scores, hit_threshold, post_threshold) -> list[bool]:
    """What a save does per post: a hit that stands after the rules' context and that the hit layer keeps, else
    the post scorer at or above its threshold."""
    return [
        any(score >= hit_threshold for score, stands in zip(hit_scores, STANDING[i], strict=True) if stands)
        or (
            post_score >= privacy_model.threshold_for(post_threshold, {"not_own_life"} if OWN_LIFE[i] else set())
            and GATE[i]
        )
        for i, post_score, hit_scores in zip(posts, post_scores, hit_models_scores, strict=True)
    ]


def fit(rows: list[set[str]], labels: list[bool], *, seed: int = SEED) -> tuple[dict[str, float], float]:
    counts: dict[str, int] = {}
    for names in rows:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    vocabulary = sorted(name for name, count in counts.items() if count >= MIN_DOCUMENTS)
    index = {name: position for position, name in enumerate(vocabulary)}
    data = [sorted(index[name] for name in names if name in index) for names in rows]
    weights = [0.0] * len(vocabulary)
    bias = 0.0
    order = list(range(len(rows)))
    rng = random.Random(seed)
    step = 0
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for row in order:
            step += 1
            rate = LEARNING_RATE / (1 + step * 1e-4)
            z = bias + sum(weights[i] for i in data[row])
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            y = 1.0 if labels[row] else 0.0
            gradient = (p - y) * (POSITIVE_WEIGHT if y else 1.0)
            bias -= rate * gradient
            for i in data[row]:
                weights[i] -= rate * (gradient + L2 * weights[i] * len(rows) / max(1, counts[vocabulary[i]]))
    return {name: round(weights[index[name]], 5) for name in vocabulary if abs(weights[index[name]]) >= 1e-4}, bias


def scores(model: tuple[dict[str, float], float], rows: list[set[str]]) -> list[float]:
    weights, bias = model
    return [privacy_model.probability(names, weights, bias) for names in rows]


def folds(groups: list[str], k: int = 5, seed: int = SEED) -> list[int]:
    distinct = sorted(set(groups))
    random.Random(seed).shuffle(distinct)
    fold_of = {group: position % k for position, group in enumerate(distinct)}
    return [fold_of[group] for group in groups]


def figures(records: list[Record], flagged: list[bool]) -> dict:
    positives = [r for r in records if r.identifies_patient]
    caught = sum(f for r, f in zip(records, flagged, strict=True) if r.identifies_patient)
    raised = sum(flagged)
    by_category: dict[str, list[bool]] = {}
    for record, flag in zip(records, flagged, strict=True):
        for category in record.categories if record.identifies_patient else ():
            by_category.setdefault(category, []).append(flag)
    families: dict[str, list[bool]] = {}
    for record, flag in zip(records, flagged, strict=True):
        if record.identifies_patient and record.family:
            families.setdefault(record.family, []).append(flag)
    return {
        "precision": caught / raised if raised else 1.0,
        "recall": caught / len(positives) if positives else 1.0,
        "false_alarms": raised - caught,
        "worst": sorted((sum(v) / len(v), c) for c, v in by_category.items())[:4],
        "family_recall": sum(all(v) for v in families.values()) / len(families) if families else None,
    }


def line(name: str, result: dict) -> str:
    worst = ", ".join(f"{c} {r:.2f}" for r, c in result["worst"])
    family = f", family recall {result['family_recall']:.3f}" if result["family_recall"] is not None else ""
    return (
        f"  {name:<34} precision {result['precision']:.3f} recall {result['recall']:.3f}"
        f" ({result['false_alarms']} false alarms{family}); lowest: {worst}"
    )


def corpus_of(split: str) -> str:
    return split.split("/")[0] if split.startswith(CORPORA[1:]) else "v1"


def per_category(name: str, records, rule_flags, guard) -> None:
    print(f"{name}, recall per category (before -> after):")
    for category in sorted({c for r in records for c in r.categories}):
        rows_of = [i for i, r in enumerate(records) if r.identifies_patient and category in r.categories]
        before = sum(rule_flags[i] for i in rows_of) / len(rows_of)
        caught = sum(guard[i] for i in rows_of)
        print(f"  {category:<36} {before:.2f} -> {caught / len(rows_of):.3f} ({caught} of {len(rows_of)})")


def _hit_scores(model, posts) -> list[list[float]]:
    weights, bias = model
    return [[privacy_model.probability(names, weights, bias) for names in HITS[i]] for i in posts]


def _round4(posts, rule_flags, post_scores) -> list[bool]:
    """Round 4's guard: the rules' hits after their context, else the post scorer at 0.8."""
    return [rule_flags[i] or (score >= 0.8 and GATE[i]) for i, score in zip(posts, post_scores, strict=True)]


def cross_validate(grid, hit_threshold: float, post_threshold: float, *, kfold: bool = True) -> None:
    items = corpus()
    records = [record for _, record in items]
    groups = [group_of(split, record) for split, record in items]
    rows, rule_flags = featurise(records)
    labels = [record.identifies_patient for record in records]
    chosen = f"hit layer >= {hit_threshold}, else post scorer >= {post_threshold}"
    # Leave one corpus out: both learned layers trained on seven corpora, measured on the eighth (other
    # authors). The thresholds are chosen on these eight estimates; v6, v7 and v8 weigh most (independent authors,
    # like the next held-out set), though the rules were tuned on their misses too, so no row is fully honest.
    pooled_posts, pooled_flags, pooled_round4 = [], [], []
    for held in reversed(CORPORA):
        train = [i for i, (split, _) in enumerate(items) if corpus_of(split) != held]
        test = [i for i, (split, _) in enumerate(items) if corpus_of(split) == held]
        post_model = fit([rows[i] for i in train], [labels[i] for i in train])
        hit_model = fit_hits(train, labels)
        post_scores = scores(post_model, [rows[i] for i in test])
        hit_scores = _hit_scores(hit_model, test)
        held_records = [records[i] for i in test]
        name = f"trained on {' + '.join(c for c in CORPORA if c != held)}, measured on {held}"
        print(f"{name}: {len(test)} posts, {sum(r.identifies_patient for r in held_records)} positives")
        print(line("rules alone (after their context)", figures(held_records, [rule_flags[i] for i in test])))
        round4 = _round4(test, rule_flags, post_scores)
        print(line("round 4 (rules, else post >= 0.8)", figures(held_records, round4)))
        for h, p in grid:
            flags = guard_flags(test, post_scores, hit_scores, h, p)
            print(line(f"hit >= {h}, else post >= {p}", figures(held_records, flags)))
        flags = guard_flags(test, post_scores, hit_scores, hit_threshold, post_threshold)
        per_category(f"{name}, {chosen}", held_records, round4, flags)
        pooled_posts += test
        pooled_flags += flags
        pooled_round4 += round4
    pooled = [records[i] for i in pooled_posts]
    print(f"leave-one-corpus-out, all {len(CORPORA)} pooled: {len(pooled)} posts")
    print(line("round 4", figures(pooled, pooled_round4)))
    print(line(chosen, figures(pooled, pooled_flags)))
    per_category(f"leave-one-corpus-out pooled, {chosen}", pooled, pooled_round4, pooled_flags)
    if not kfold:
        return
    # Grouped 5-fold CV on all corpora (a v2 family never straddles folds): optimistic, for comparison only.
    fold = folds(groups)
    flags = [False] * len(records)
    for k in range(5):
        train = [i for i in range(len(records)) if fold[i] != k]
        test = [i for i in range(len(records)) if fold[i] == k]
        post_model = fit([rows[i] for i in train], [labels[i] for i in train])
        hit_model = fit_hits(train, labels)
        found = guard_flags(
            test,
            scores(post_model, [rows[i] for i in test]),
            _hit_scores(hit_model, test),
            hit_threshold,
            post_threshold,
        )
        for i, flag in zip(test, found, strict=True):
            flags[i] = flag
    print(f"grouped 5-fold CV on v1..v8 ({len(records)} posts)")
    print(line(chosen, figures(records, flags)))
    for corpus_name in CORPORA:
        part = [i for i, (split, _) in enumerate(items) if corpus_of(split) == corpus_name]
        print(line(f"  posts of {corpus_name}", figures([records[i] for i in part], [flags[i] for i in part])))
    per_category(f"grouped 5-fold CV, {chosen}", records, rule_flags, flags)


def _payload(about: str, posts: int, threshold: float, model) -> str:
    weights, bias = model
    payload = {
        "about": about,
        "seed": SEED,
        "epochs": EPOCHS,
        "l2": L2,
        "posts": posts,
        "threshold": threshold,
        "bias": round(bias, 5),
        "weights": dict(sorted(weights.items())),
    }
    return json.dumps(payload, indent=0, ensure_ascii=False) + "\n"


def write(hit_threshold: float, post_threshold: float) -> None:
    records = [record for _, record in corpus()]
    rows, _ = featurise(records)
    labels = [record.identifies_patient for record in records]
    post_model = fit(rows, labels)
    hit_model = fit_hits(list(range(len(records))), labels)
    about = "{} weights, from python tests/campaigns/privacy_corpus/train.py --write"
    privacy_model.WEIGHTS.write_text(
        _payload(about.format("campaigns.privacy_model"), len(records), post_threshold, post_model), encoding="utf-8"
    )
    privacy_hit_model.WEIGHTS.write_text(
        _payload(about.format("campaigns.privacy_hit_model"), len(records), hit_threshold, hit_model), encoding="utf-8"
    )
    print(f"wrote {privacy_model.WEIGHTS.name}: {len(post_model[0])} weights from {len(records)} posts")
    print(f"wrote {privacy_hit_model.WEIGHTS.name}: {len(hit_model[0])} weights from {sum(map(len, HITS))} hits")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="print leave-one-corpus-out and grouped CV figures")
    parser.add_argument("--write", action="store_true", help="train on all of v1..v8 and write the weights")
    # Round 7: chosen on leaving one corpus out (v3..v6 pooled 0.885 / 0.970, each of them recall >= 0.957 and
    # precision 0.866..0.892), trading the precision margin above 0.85 for recall; 0.5 / 0.7 gave 0.893 / 0.957.
    # Round 8: hit layer 0.6 -> 0.55, chosen on v5, v6, v7 left out (rules of round 8): 0.55 / 0.55 gives precision
    # 0.905 / 0.911 / 0.884 and recall 0.983 / 0.977 / 0.991 (the three pooled 0.899 / 0.984, every category
    # >= 0.96); 0.6 / 0.55 gave 0.901 / 0.980 (public_figure_condition 0.943); 0.5 / 0.5 took v7's precision to 0.866.
    parser.add_argument("--hit-threshold", type=float, default=0.55, help="hit layer score from which a hit is kept")
    # Round 9: post scorer 0.55 -> 0.6, chosen on v6, v7, v8 left out (rules of round 9, v8 in training): 0.55 / 0.55
    # took v7's precision to 0.866 (below the 0.87 margin); 0.55 / 0.6 gives precision 0.904 / 0.871 / 0.964 and recall
    # 0.983 / 0.994 / 0.943 on v6 / v7 / v8. v8 (78% positives) also raised the post scorer bias (-1.40 -> -1.04).
    parser.add_argument("--threshold", type=float, default=0.6, help="post scorer score from which a post is flagged")
    parser.add_argument(
        "--grid", default="0.5:0.7,0.6:0.6,0.55:0.65,0.55:0.6,0.55:0.55,0.5:0.55", help="hit:post pairs"
    )
    parser.add_argument("--no-kfold", action="store_true", help="with --cv: only leave one corpus out")
    options = parser.parse_args(argv)
    if options.cv:
        grid = [tuple(float(v) for v in pair.split(":")) for pair in options.grid.split(",")]
        cross_validate(grid, options.hit_threshold, options.threshold, kfold=not options.no_kfold)
    if options.write:
        write(options.hit_threshold, options.threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())

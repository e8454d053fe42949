"""The privacy corpus halves are the frozen, seeded split of the pool, and the counts hold."""

import importlib.util
import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "privacy_corpus"


def _split_module():
    spec = importlib.util.spec_from_file_location("privacy_corpus_split", CORPUS / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_halves_are_the_seeded_split_of_the_pool_with_enough_posts_per_category(capsys):
    assert _split_module().main(["--check"]) == 0, capsys.readouterr().err


def test_no_post_text_appears_in_both_halves():
    def texts(name):
        with (CORPUS / name).open(encoding="utf-8") as handle:
            return {json.loads(line)["text"] for line in handle if line.strip()}

    assert not texts("dev.jsonl") & texts("test.jsonl")


def _v2_split_module():
    spec = importlib.util.spec_from_file_location("privacy_corpus_v2_split", CORPUS / "v2" / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_v2_halves_are_the_seeded_split_of_the_v2_pool_with_enough_posts_per_category(capsys):
    assert _v2_split_module().main(["--check"]) == 0, capsys.readouterr().err


def test_no_v2_post_text_appears_in_both_halves_or_in_v1():
    def texts(*parts):
        with CORPUS.joinpath(*parts).open(encoding="utf-8") as handle:
            return {json.loads(line)["text"] for line in handle if line.strip()}

    dev, test = texts("v2", "dev.jsonl"), texts("v2", "test.jsonl")
    v1 = texts("dev.jsonl") | texts("test.jsonl")
    assert not dev & test
    assert not (dev | test) & v1


@pytest.mark.parametrize(
    ("version", "earlier_files"),
    [
        ("v3", ()),
        ("v4", ("v3/test.jsonl",)),
        ("v5", ("v3/test.jsonl", "v4/test.jsonl")),
        ("v6", ("v3/test.jsonl", "v4/test.jsonl", "v5/test.jsonl")),
        ("v7", ("v3/test.jsonl", "v4/test.jsonl", "v5/test.jsonl", "v6/test.jsonl")),
        ("v8", ("v3/test.jsonl", "v4/test.jsonl", "v5/test.jsonl", "v6/test.jsonl", "v7/test.jsonl")),
        ("v9", tuple(f"v{n}/test.jsonl" for n in range(3, 9))),
    ],
)
def test_a_held_out_version_is_valid_and_shares_no_text_with_earlier_ones(version, earlier_files):
    from collections import Counter

    records = [json.loads(line) for line in (CORPUS / version / "test.jsonl").read_text().splitlines()]
    allowed = {"x", "linkedin", "instagram", "tiktok", "threads", "bluesky", "reddit", "blog"}
    assert len({r["id"] for r in records}) == len(records) == {"v8": 1656, "v9": 1620}.get(version, 600)
    assert all(r["platform"] in allowed for r in records)
    assert all(bool(r["categories"]) == r["identifies_patient"] for r in records)
    listed = Counter(category for r in records for category in r["categories"])
    assert len(listed) == 24 and min(listed.values()) >= {"v8": 54, "v9": 55}.get(version, 15)
    earlier = set()
    for name in ("dev.jsonl", "test.jsonl", "v2/dev.jsonl", "v2/test.jsonl", *earlier_files):
        earlier |= {json.loads(line)["text"] for line in (CORPUS / name).read_text().splitlines()}
    assert not earlier & {r["text"] for r in records}

"""The privacy corpus halves are the frozen, seeded split of the pool, and the counts hold."""

import importlib.util
import json
from pathlib import Path

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

"""Check the development suite (``benchmarks/suite``) and its runner."""

import csv
import importlib
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite(monkeypatch):
    """``benchmarks._suite``, with the repository root on ``sys.path``."""
    import keras

    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("KERAS_BACKEND", keras.backend.backend())
    monkeypatch.delenv("SKMULTILABELNN_SUITE", raising=False)
    return importlib.import_module("benchmarks._suite")


def test_every_set_loads_as_its_manifest_says(suite):
    """Check each set's rows, labels, cardinality and storage against the manifest."""
    manifest = suite.manifest()
    assert len(manifest) >= 10
    for name in suite.suite_names():
        expected = manifest[name]
        split = suite.load_suite_split(name)
        Y = np.vstack([split.y_train, split.y_test])
        assert Y.shape == (expected["rows_total"], expected["labels"])
        assert set(np.unique(Y)) <= {0, 1}
        assert Y.sum(axis=1).mean() == pytest.approx(expected["cardinality"], abs=1e-3)
        assert sp.issparse(split.X_train) == expected["sparse"], name
        assert split.X_train.shape[0] == split.y_train.shape[0]
        assert split.X_test.shape[1] == split.X_train.shape[1]
        if expected["split"] == "standard":
            assert split.y_test.shape[0] == expected["rows_test"]
        else:  # a fixed random third is held out
            assert split.y_test.shape[0] == pytest.approx(Y.shape[0] / 3, abs=1)


def test_no_held_out_set_in_the_suite(suite, tmp_path):
    """Check that the sets kept aside are refused, and none is in the suite."""
    names = suite.suite_names()
    assert not [n for n in names if any(word in n for word in suite.HELD_OUT)]
    (tmp_path / "manifest.json").write_text('{"sets": {"bibtex": {}, "emotions": {}}}')
    with pytest.raises(ValueError, match=r"kept aside .*\['bibtex'\]"):
        suite.suite_names(tmp_path)


def test_runner_scores_and_ranks(suite, tmp_path):
    """Check that the runner scores a set, gives margins and ranks, and writes."""
    runner = importlib.import_module("benchmarks.suite")
    rows = runner.run(["flags"], ["MLPClassifier", "OvR SVC default"], 100)
    assert {row["method"] for row in rows} == {"MLPClassifier", "OvR SVC default"}
    assert all(0 <= row["f1_micro"] <= 1 and row["fit_s"] > 0 for row in rows)
    fake = [
        {"dataset": "a", "method": "x", "f1_micro": 0.5},
        {"dataset": "a", "method": "y", "f1_micro": 0.7},
        {"dataset": "b", "method": "x", "f1_micro": 0.9},
        {"dataset": "b", "method": "y", "f1_micro": 0.9},
    ]
    assert runner.mean_ranks(fake, "f1_micro") == {"x": 1.75, "y": 1.25}
    margins = runner.rows_with_margins(
        "a",
        {
            "Keras default": {"f1_micro": 0.6, "f1_macro": 0.3},
            "MLPClassifier": {"f1_micro": 0.5, "f1_macro": 0.4},
            "OvR SVC default": {"f1_micro": 0.7, "f1_macro": 0.2},
        },
    )
    keras_row = next(row for row in margins if row["method"] == "Keras default")
    assert keras_row["margin_micro"] == pytest.approx(-0.1)
    assert keras_row["margin_macro"] == pytest.approx(-0.1)


def test_choice_of_defaults_and_leave_one_set_out(suite):
    """Check the choice by mean rank and the leave-one-set-out rows on made-up
    scores: "b" wins overall, though "a" wins whenever s3 (b's worst set) takes
    part in a choice without s1 or s2."""
    choose = importlib.import_module("benchmarks.choose_defaults")
    candidates = ["a", "b"]
    scores = {  # set: (a, b, MLPClassifier, OvR SVC default), micro = macro
        "s1": (0.45, 0.9, 0.5, 0.4),
        "s2": (0.6, 0.7, 0.65, 0.4),
        "s3": (0.9, 0.2, 0.5, 0.4),
    }
    names = [*candidates, "MLPClassifier", "OvR SVC default"]
    rows = [
        {"dataset": s, "method": m, "f1_micro": v, "f1_macro": v}
        for s, values in scores.items()
        for m, v in zip(names, values, strict=True)
    ]
    micro, macro = choose.ranks(rows, "f1_micro"), choose.ranks(rows, "f1_macro")
    assert micro["s3"] == {"a": 1, "b": 4, "MLPClassifier": 2, "OvR SVC default": 3}
    chosen, score = choose.choose(micro, macro, candidates, list(scores))
    assert chosen == "b" and score == pytest.approx({"a": 7 / 3, "b": 2})
    assert choose.margins(rows, "f1_micro")["s3"]["b"] == pytest.approx(-0.3)
    for left, expected in {"s1": "a", "s2": "a", "s3": "b"}.items():
        others = [s for s in scores if s != left]
        assert choose.choose(micro, macro, candidates, others)[0] == expected


def test_held_out_check_runs_on_its_own_folder_only(suite, tmp_path, monkeypatch):
    """Check that the held-out check refuses the suite's folder and no folder,
    and scores a vector set and a raw-text set of a folder of its own."""
    held_out = importlib.import_module("benchmarks.held_out")
    monkeypatch.delenv("SKMULTILABELNN_HELD_OUT", raising=False)
    with pytest.raises(ValueError, match="SKMULTILABELNN_HELD_OUT"):
        held_out.held_out_folder()
    with pytest.raises(ValueError, match="is the development suite"):
        held_out.held_out_folder(str(suite.SHIPPED))
    folder = tmp_path / "sets"
    folder.mkdir()
    (folder / "flags_copy.npz").write_bytes((suite.SHIPPED / "flags.npz").read_bytes())
    rng = np.random.default_rng(0)
    words = np.array(["alpha", "beta", "gamma", "delta", "eps", "zeta"])
    Y = rng.integers(0, 2, size=(90, 2)).astype(np.uint8)
    texts = np.array(
        [" ".join(rng.choice(words[:3] if y[0] else words[3:], 8)) for y in Y]
    )
    np.savez(
        folder / "corpus.npz",
        X_train_text=texts[:60],
        X_test_text=texts[60:],
        Y_train=Y[:60],
        Y_test=Y[60:],
        split="standard",
    )
    sets = {"flags_copy": {}, "corpus": {}}
    (folder / "manifest.json").write_text(json.dumps({"sets": sets}))
    out = tmp_path / "out"
    held_out.main(["--folder", str(folder), "--out", str(out)])
    text = (out / "held_out.md").read_text()
    for method in ("Keras default", "MLPClassifier", "tuner(OvR LinearSVC)"):
        assert method in text
    goals = text.split("first goal")[1]
    assert "- flags_copy: micro-F1" in goals and "- corpus: micro-F1" in goals
    # label 0 is told by the words alone (label 1 is a coin): the text
    # methods read the documents, through the vectorizer
    with open(out / "held_out.csv") as file:
        rows = [row for row in csv.DictReader(file) if row["dataset"] == "corpus"]
    assert len(rows) == 3
    assert all(float(row["f1_micro"]) > 0.7 for row in rows)

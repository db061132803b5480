"""Check the quick mode of the benchmark suite (``python -m benchmarks --quick``)."""

import csv
import importlib
import shutil
from pathlib import Path

import pytest

from skmultilabelnn.metrics import MULTILABEL_METRICS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def compare(monkeypatch):
    """The ``benchmarks.compare`` module, importable however pytest was started.

    ``benchmarks/`` is a folder of the repository, not part of the installed
    package, so the repository root goes on ``sys.path`` for the test. Importing
    it sets a default KERAS_BACKEND for later processes; the test keeps the
    running one, and the variable is put back afterwards.
    """
    import keras

    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("KERAS_BACKEND", keras.backend.backend())
    return importlib.import_module("benchmarks.compare")


def test_quick_benchmark_writes_every_row_and_chart(compare, tmp_path, capsys):
    """Check that the quick run scores every dataset and method in sane ranges."""
    rows = compare.main(["--quick", "--out", str(tmp_path)])

    text_sets = {"enron", "delicious"}
    expected = {
        (data, method)
        for data in compare.DATASETS
        for method in importlib.import_module("benchmarks._methods").METHODS
        if method != ("OvR RBF-SVC tuned" if data in text_sets else "OvR LogReg tuned")
    }
    assert {(row["dataset"], row["method"]) for row in rows} == expected
    with (tmp_path / "results.csv").open(newline="") as file:
        csv_rows = list(csv.DictReader(file))
    assert len(csv_rows) == len(expected)
    assert {"dataset", "method", *MULTILABEL_METRICS, "fit_s", "predict_s"} <= set(
        csv_rows[0]
    )
    for row in csv_rows:
        for metric in MULTILABEL_METRICS:
            assert 0 <= float(row[metric]) <= 1, row
        if row["dataset"] not in text_sets:
            # 300 rows of 53 or 983 labels learn little: per-label F1 may then
            # be best when a label is predicted for most rows
            assert float(row["hamming_loss"]) <= 0.5, row
            assert 0.2 < float(row["f1_micro"]) <= 1, row
        assert float(row["fit_s"]) > 0, row
        assert float(row["predict_s"]) > 0, row
        if "tuned" in row["method"]:
            assert row["best_params"] not in ("", "{}"), row

    report = (tmp_path / "results.md").read_text()
    assert "## Goals" in capsys.readouterr().out
    assert "keras backend:" in report
    for header in compare.SCORE_HEADERS.values():
        assert f" {header} |" in report
    for dataset, method in expected:
        assert f"| {dataset} | {method} |" in report
    for dataset in ("yeast", "scene", *text_sets):
        assert f"| {dataset} | Keras default: micro-F1 above the best (" in report
        assert f"| {dataset} | Keras default, auto: micro-F1 above Keras " in report
    for dataset in ("yeast", "scene"):
        assert (
            f"| {dataset} | Keras tuned, 0.5: Hamming loss below the published OvR SVM"
            in report
        )
        assert f"| {dataset} | Keras tuned, label sets: subset acc. above" in report
    for dataset in text_sets:
        assert f"| {dataset} | Keras tuned: macro-F1 above the best (" in report
    goals = compare.goal_rows(rows)
    assert len(goals) == 4 + 4 + 2 + 2 * 5 + 2 * 2
    for goal in goals:
        assert goal["met"] == "**yes**" or goal["met"].startswith("no (by "), goal

    charts = [f"metric_{key}.png" for key in compare.SCORE_HEADERS]
    for name in [*charts, "quality_vs_fit_time.png"]:
        assert (tmp_path / name).stat().st_size > 0, name


def test_unknown_dataset_is_rejected(compare, capsys):
    """Check that --datasets refuses an unknown name and lists the choices."""
    with pytest.raises(SystemExit):
        compare.main(["--quick", "--datasets", "iris"])
    assert "invalid choice: 'iris'" in capsys.readouterr().err


def test_quick_mode_writes_to_a_new_temporary_folder(compare):
    """Check that --quick without --out keeps away from benchmarks/results."""
    first = compare.parse_args(["--quick"]).out
    second = compare.parse_args(["--quick"]).out
    try:
        assert first.is_dir() and not any(first.iterdir())
        assert first != second
        for out in (first, second):
            assert compare.RESULTS_DIR not in (out, *out.parents)
    finally:
        shutil.rmtree(first)
        shutil.rmtree(second)


def test_out_defaults(compare, tmp_path):
    """Check that the full run writes to benchmarks/results and --out wins."""
    assert compare.parse_args([]).out == compare.RESULTS_DIR
    assert compare.RESULTS_DIR == ROOT / "benchmarks" / "results"
    assert compare.parse_args(["--quick", "--out", str(tmp_path)]).out == tmp_path

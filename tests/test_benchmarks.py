"""Check the quick mode of the benchmark suite (``python -m benchmarks --quick``)."""

import csv
import importlib
import shutil
import subprocess
import sys
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
    return _benchmark_module(monkeypatch, "compare")


def _benchmark_module(monkeypatch, name):
    """``benchmarks.<name>``, imported as the ``compare`` fixture says."""
    import keras

    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("KERAS_BACKEND", keras.backend.backend())
    return importlib.import_module(f"benchmarks.{name}")


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
        assert f"| {dataset} | Keras default: macro-F1 above the best (" in report
        assert f"| {dataset} | Keras default: micro-F1 above Keras default, " in report
    for dataset in ("yeast", "scene"):
        assert (
            f"| {dataset} | Keras tuned, 0.5: Hamming loss below the published OvR SVM"
            in report
        )
        assert f"| {dataset} | Keras tuned, label sets: subset acc. above" in report
    for dataset in text_sets:
        assert f"| {dataset} | Keras tuned: macro-F1 above the best (" in report
    goals = compare.goal_rows(rows)
    assert len(goals) == 2 * 6 + 4 + 2 + 2 * 5 + 2 * 2
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


@pytest.fixture
def bench_ranking(monkeypatch):
    """The ``benchmarks.bench_ranking`` module (see the ``compare`` fixture)."""
    return _benchmark_module(monkeypatch, "bench_ranking")


def test_ranking_many_labels_set(bench_ranking):
    """Check that the generated many-label set has the announced form."""
    import numpy as np

    X, Y = bench_ranking.make_many_labels(400, 300, 200, seed=0)
    assert X.format == Y.format == "csr"
    assert X.shape == (400, 300) and X.dtype == np.float32
    assert Y.shape == (400, 200) and set(np.unique(Y.data)) == {1}
    assert (np.diff(X.indptr) == bench_ranking.NNZ_PER_ROW).all()
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)), 1, rtol=1e-5)
    assert np.diff(Y.indptr).min() >= 1 and 4 <= Y.nnz / 400 <= 5
    counts = np.sort(np.asarray(Y.sum(axis=0)).ravel())[::-1]
    assert counts[0] > 10 * np.median(counts)
    again = bench_ranking.make_many_labels(400, 300, 200, seed=0)
    assert (X != again[0]).nnz == 0 and (Y != again[1]).nnz == 0


def test_ranking_table_and_goal_lines(bench_ranking):
    """Check the percent table and the goal and reference lines."""
    metrics = {"p1": 80.0, "p3": 59.0, "p5": 44.0, "ndcg3": 70.0, "ndcg5": 71.0}
    rows = [
        {"set": "enron", "method": "Keras default", **metrics, "p3": 60.0, "p5": 47.0},
        {"set": "enron", "method": "OvR LinearSVC", **metrics, "p1": 76.94, "p3": 58.0},
        {"set": "enron", "method": "OvR LogisticRegression", **metrics, "p1": 70.0},
    ]
    for row in rows:
        row.update(shape="1123 x 1001, 53 labels", fit_s=1.0, rank_s=0.1)
    table = bench_ranking.ranking_table(rows)
    assert "| P@1 | P@3 | P@5 | nDCG@3 | nDCG@5 | PSP@5 | fit s |" in table
    assert "| enron | 1123 x 1001, 53 labels | Keras default | 80.0 | 60.0 |" in table
    assert "| 76.9 |" in table and "---:|" in table.splitlines()[1]
    goal, reference = bench_ranking.goal_lines(rows)
    assert "P@1 80.0 vs 76.9 (OvR LinearSVC) +3.06" in goal
    assert "P@3 60.0 vs 59.0 (OvR LogisticRegression) +1.00" in goal
    assert "P@5 47.0 vs 44.0 (OvR LinearSVC) +3.00" in goal
    assert goal.endswith(": not met")
    assert "77.0/58.2/43.5" in reference and "+3.00/+1.80/+3.50" in reference
    assert reference.endswith(": not met")


@pytest.fixture
def bench_macro(monkeypatch):
    """The ``benchmarks.bench_macro`` module (see ``compare``)."""
    return _benchmark_module(monkeypatch, "bench_macro")


@pytest.mark.parametrize("sparse", [False, True])
def test_macro_methods_share_the_budget(bench_macro, sparse):
    """Check that the network and the linear tuner are searched by macro-F1
    over as many candidates, and the network's final fit learns per-label
    thresholds for F1."""
    from benchmarks._methods import n_candidates

    network, tuner = (bench_macro.make(m, sparse) for m in bench_macro.METHODS)
    assert n_candidates(network) == n_candidates(tuner) == (4 if sparse else 8)
    assert network.search.scoring == tuner.scoring == "f1_macro"
    assert network.final_params["clf__threshold_metric"] == "f1"
    assert tuner.estimator[-1].scoring == "f1"


def test_macro_report_names_the_misses(bench_macro):
    rows = [
        {
            "dataset": "a",
            "method": bench_macro.METHODS[0],
            "f1_macro": 0.5,
            "margin": 0.1,
            "f1_micro": 0.6,
            "fit_s": 1.0,
        },
        {
            "dataset": "b",
            "method": bench_macro.METHODS[0],
            "f1_macro": 0.3,
            "margin": -0.02,
            "f1_micro": 0.4,
            "fit_s": 1.0,
        },
    ]
    text = bench_macro.report(rows, 2000)
    assert "met on 1 of 2 sets; mean margin +0.040" in text
    assert "Missed on: b -0.020." in text


@pytest.fixture
def bench_speed(monkeypatch):
    """The ``benchmarks.bench_speed`` module (see the ``compare`` fixture)."""
    return _benchmark_module(monkeypatch, "bench_speed")


def test_compilation_cache_env_keeps_the_compilations_on_disk(bench_speed, tmp_path):
    """Check that the variables the speed benchmark (and the scaling guide)
    set make a fit in another process write its compilations to the folder:
    JAX's cache, or TensorFlow's cache of XLA compilations (a fit of 2,000
    steps, which TensorFlow compiles with XLA)."""
    import keras

    backend = keras.backend.backend()
    cache_env = bench_speed.compilation_cache_env(backend, str(tmp_path))
    env = bench_speed.worker_env(backend, cache_env)
    code = (
        "import numpy as np\n"
        "from skmultilabelnn import KerasMultilabelClassifier\n"
        "X = np.random.default_rng(0).random((100, 4), dtype=np.float32)\n"
        "KerasMultilabelClassifier(hidden_layer_sizes=(4,), ensemble_size=1,\n"
        "    early_stopping=False, validation_split=0.0, threshold=0.5,\n"
        "    epochs=200, batch_size=10).fit(X, X > 0.5)\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=300)
    assert list(tmp_path.iterdir())

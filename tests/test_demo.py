"""Check the quick tour of ``make demo`` (``python -m benchmarks.demo``)."""

import importlib
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo(monkeypatch):
    """The ``benchmarks.demo`` module; ``benchmarks/`` is a folder of the
    repository, not of the package. Importing it sets a default KERAS_BACKEND
    for later processes; the test keeps the running one."""
    import keras

    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("KERAS_BACKEND", keras.backend.backend())
    return importlib.import_module("benchmarks.demo")


def test_demo_prints_a_table_and_writes_a_plot(demo, tmp_path, capsys):
    """Check that the demo scores the three methods, prints their table and
    where the plot went, writes the plot, and stays well within 3 minutes."""
    start = time.perf_counter()
    rows = demo.main(["--out", str(tmp_path)])
    elapsed = time.perf_counter() - start

    assert [row["method"] for row in rows] == list(demo.methods())
    for row in rows:
        assert 0.4 < row["f1_micro"] < 1, row
        assert 0 < row["hamming_loss"] < 0.5, row
        assert row["fit_s"] > 0, row
    output = capsys.readouterr()
    assert "| method | micro-F1 | macro-F1 | subset acc. | Hamming loss | fit s |" in (
        output.out
    )
    assert str(tmp_path / "demo.png") in output.out
    assert "[3/3] fitting OneVsRestClassifier(SVC())" in output.err
    assert (tmp_path / "demo.png").stat().st_size > 10_000
    assert elapsed < 180

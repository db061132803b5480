"""Sparse label matrices end to end: a CSR y trains the network of its dense
form, is never densified whole, and comes back sparse from predict."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import small
from sklearn.datasets import make_multilabel_classification

from skmultilabelnn import KerasMultilabelClassifier, _training
from skmultilabelnn._engine import _loop, _sparse_rows
from skmultilabelnn._label_sets import most_probable_label_sets, seen_label_sets

X, Y = make_multilabel_classification(
    n_samples=160, n_features=12, n_classes=6, random_state=0
)
X = X.astype(np.float32)


def _wide(X):
    """X as a wide CSR matrix (its columns, then zero columns)."""
    return sp.hstack([sp.csr_matrix(X), sp.csr_matrix((X.shape[0], 400))]).tocsr()


@pytest.mark.parametrize(
    "features, product",
    [("dense", False), ("sparse", False), ("sparse", True)],
    ids=["dense X", "sparse X densified", "sparse X product"],
)
@pytest.mark.parametrize(
    "params",
    [
        {},  # the defaults: cross-fitted members, learned thresholds
        {"ensemble_size": 1, "metrics": ["binary_accuracy"]},
        {"ensemble_size": 2, "threshold_cv": 2, "class_weight": "balanced"},
    ],
    ids=["cross-fitted", "validation and metrics", "threshold folds, balanced"],
)
def test_a_sparse_y_trains_the_network_of_its_dense_form(
    features, product, params, monkeypatch
):
    """Check that a CSR y gives the same histories, thresholds and
    probabilities as its dense form, whichever way X reaches the network, and
    that predict gives the same decisions as CSR."""
    if product:
        monkeypatch.setattr(_sparse_rows, "MIN_WIDTH_RATIO", 0)
    data = _wide(X) if features == "sparse" else X
    settings = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0, **params)
    dense = KerasMultilabelClassifier(**settings).fit(data, Y)
    sparse = KerasMultilabelClassifier(**settings).fit(data, sp.csr_matrix(Y))
    np.testing.assert_array_equal(sparse.predict_proba(data), dense.predict_proba(data))
    # the same weights; a dense X with a sparse y trains through the epoch of
    # gathered batches, whose losses may differ from the resident data's epoch
    # in the last bits
    assert sparse.history_.keys() == dense.history_.keys()
    for name, values in dense.history_.items():
        np.testing.assert_allclose(sparse.history_[name], values, rtol=1e-6)
    if hasattr(dense, "thresholds_"):
        np.testing.assert_array_equal(sparse.thresholds_, dense.thresholds_)
    predicted = sparse.predict(data)
    assert sp.isspmatrix_csr(predicted) and predicted.dtype == Y.dtype
    np.testing.assert_array_equal(predicted.toarray(), dense.predict(data))


def test_a_sparse_y_is_densified_a_block_of_rows_at_a_time(monkeypatch):
    """Check, by watching every densification of a matrix as wide as y, that
    training, validation and thresholds densify a few rows of y at a time."""
    densified = []
    toarray = sp.csr_matrix.toarray

    def watched(matrix, *args, **kwargs):
        if matrix.shape[1] == Y.shape[1]:
            densified.append(matrix.shape[0])
        return toarray(matrix, *args, **kwargs)

    monkeypatch.setattr(sp.csr_matrix, "toarray", watched)
    monkeypatch.setattr(_loop, "BLOCK_BYTES", 16 * 6 * 2)  # two batches of 16
    monkeypatch.setattr(_training, "THRESHOLD_ENTRIES", 40 * 6)  # 40 rows
    monkeypatch.setattr(_training, "MIN_THRESHOLD_ROWS", 40)
    clf = small(
        batch_size=16, ensemble_size=2, validation_split=0.0, threshold="auto"
    ).fit(X, sp.csr_matrix(Y))
    assert clf.thresholds_.shape == (6,)
    assert densified and max(densified) <= 40, densified


def test_thresholds_of_many_labels_are_learned_from_a_subset_of_rows(monkeypatch):
    """Check that when rows x labels pass THRESHOLD_ENTRIES the members score,
    and the thresholds are learned from, a seeded random subset of the rows."""
    learned, scored = [], []
    real_learn, real_scored = _training.learn_thresholds, _training._scored_rows

    def spy_learn(y_true, scores, **kwargs):
        learned.append((y_true, scores))
        return real_learn(y_true, scores, **kwargs)

    def spy_scored(*args):
        scored.append(real_scored(*args))
        return scored[-1]

    monkeypatch.setattr(_training, "learn_thresholds", spy_learn)
    monkeypatch.setattr(_training, "_scored_rows", spy_scored)
    monkeypatch.setattr(_training, "THRESHOLD_ENTRIES", 50 * 6)
    monkeypatch.setattr(_training, "MIN_THRESHOLD_ROWS", 10)
    rows = real_scored(np.arange(160), 6, 0)
    assert rows.shape == (50,) and np.all(np.diff(rows) > 0)
    np.testing.assert_array_equal(rows, real_scored(np.arange(160), 6, 0))
    assert not np.array_equal(rows, real_scored(np.arange(160), 6, 1))
    clf = small(ensemble_size=2, threshold="auto").fit(X, sp.csr_matrix(Y))
    ((y_true, scores),), (rows,) = learned, scored
    assert rows.shape == (50,)
    np.testing.assert_array_equal(y_true.toarray(), Y[rows])  # sparse as given
    # each row scored by the member that did not train on it: not the ensemble
    assert scores.shape == (50, 6)
    assert not np.allclose(scores, clf.predict_proba(X[rows]))


def test_label_sets_of_a_sparse_y_stay_sparse():
    """Check that a sparse y's label sets are a CSR matrix of the same sets as
    the dense form's, and that the label-set decision picks the same ones."""
    sets = seen_label_sets(sp.csr_matrix(Y))
    assert sp.isspmatrix_csr(sets)
    dense_sets = seen_label_sets(Y)
    assert {tuple(row) for row in sets.toarray()} == {tuple(r) for r in dense_sets}
    proba = np.random.default_rng(0).random((30, 6))
    np.testing.assert_array_equal(
        most_probable_label_sets(proba, sets),
        most_probable_label_sets(proba, dense_sets),
    )


def test_sparse_y_errors_name_the_bad_value():
    bad = sp.csr_matrix(np.where(Y > 0, 2, 0))
    with pytest.raises(ValueError, match=r"0s and 1s .*got values \[0, 2\]"):
        small().fit(X, bad)
    clf = small().fit(X, sp.csr_matrix(Y))
    with pytest.raises(ValueError, match="y has 5 label columns but the encoder"):
        clf.partial_fit(X, sp.csr_matrix(Y[:, :5]))


MANY_LABELS = """
import resource, numpy as np, scipy.sparse as sp
from skmultilabelnn import KerasMultilabelClassifier
n, labels = 10_000, 100_000  # dense: 1e9 entries, 4 GB as float32
rng = np.random.default_rng(0)
X = sp.random(n, 500, density=0.04, format="csr", random_state=0, dtype=np.float32)
columns = rng.integers(0, labels, size=3 * n)
Y = sp.csr_matrix(
    (np.ones(3 * n, np.int8), (np.repeat(np.arange(n), 3), columns)), (n, labels)
)
Y.data[:] = 1
clf = KerasMultilabelClassifier(
    hidden_layer_sizes=(4,), ensemble_size=1, epochs=1, threshold=0.5,
    early_stopping=False, validation_split=0.0, random_state=0,
)
clf.fit(X[:64], Y[:64])  # imports, compilations and buffers before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
clf.fit(X, Y)
ranked = clf.predict_ranked(X[:2000], k=5)
predicted = clf.predict(X[:2000])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert ranked.indices.shape == (2000, 5) and sp.issparse(predicted)
print((after - before) / 1024)
"""


def test_many_labels_train_and_predict_in_bounded_memory():
    """Check, in a fresh process, that a CSR y of 10,000 rows x 100,000 labels
    (4 GB dense as float32, 1 GB as bytes) trains one network and predicts
    with at most 600 MB more peak memory than a fit of 64 of its rows."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MANY_LABELS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    extra_mb = float(result.stdout.strip().splitlines()[-1])
    assert extra_mb < 600, extra_mb

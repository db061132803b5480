"""Early stopping on the validation rows' ROC AUC (``scoring="roc_auc"``)."""

import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import small
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import _engine, _training
from skmultilabelnn._engine import _roc_auc
from skmultilabelnn._engine._roc_auc import (
    macro_roc_auc,
    roc_auc_rows,
)


def _sklearn_macro_auc(y, scores, weights):
    """scikit-learn's per-label AUC, averaged over the labels it can score."""
    kept = weights > 0
    labels = [
        j for j in range(y.shape[1]) if 0 < y[kept, j].sum() < np.count_nonzero(kept)
    ]
    return np.mean(
        [roc_auc_score(y[:, j], scores[:, j], sample_weight=weights) for j in labels]
    )


@pytest.mark.parametrize("seed", range(40))
def test_macro_roc_auc_is_sklearns(seed):
    """Check against roc_auc_score: ties (scores rounded), weights, rows of
    weight 0, labels with one class left out."""
    rng = np.random.default_rng(seed)
    n_rows, n_labels = rng.integers(5, 80), rng.integers(1, 7)
    y = rng.random((n_rows, n_labels)) < rng.random(n_labels)
    y[:, 0] = True  # one class only: left out
    scores = np.round(rng.random((n_rows, n_labels)), 1)
    weights = rng.choice([0.0, 0.5, 1.0, 3.0], n_rows)
    weights[:2] = 1.0
    ours = macro_roc_auc(y, scores, weights)
    kept = weights > 0
    if not any(0 < y[kept, j].sum() < kept.sum() for j in range(n_labels)):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(_sklearn_macro_auc(y, scores, weights), abs=1e-12)


def test_macro_roc_auc_in_blocks_of_labels(monkeypatch):
    """Check that labels ranked a block at a time give the same mean."""
    rng = np.random.default_rng(0)
    y = rng.random((50, 9)) < 0.3
    scores = rng.random((50, 9))
    weights = np.ones(50)
    whole = macro_roc_auc(y, scores, weights)
    monkeypatch.setattr(_roc_auc, "_BLOCK_ENTRIES", 100)  # two labels a block
    assert macro_roc_auc(y, scores, weights) == pytest.approx(whole, abs=1e-12)
    assert whole == pytest.approx(_sklearn_macro_auc(y, scores, weights), abs=1e-12)


def test_roc_auc_rows_subset(monkeypatch):
    """Check that many labels score a sorted, seeded subset of the rows."""
    rows = np.arange(10, 1010)
    Y = np.zeros((1010, 10), dtype=int)
    Y[::2] = 1
    weights = np.ones(1010)
    assert roc_auc_rows(Y[:, :3], weights, rows) is rows
    monkeypatch.setattr(_roc_auc, "ROC_AUC_ENTRIES", 1000)
    subset = roc_auc_rows(Y, weights, rows)
    assert subset.shape == (100,)
    assert np.all(np.diff(subset) > 0) and np.isin(subset, rows).all()
    np.testing.assert_array_equal(subset, roc_auc_rows(Y, weights, rows))


def test_roc_auc_rows_need_a_label_with_both_classes():
    """Check that a label with both classes among rows of weight > 0 is needed."""
    Y = np.array([[1, 0], [1, 1], [1, 0], [1, 0]])
    weights = np.array([1.0, 0.0, 1.0, 1.0])
    rows = np.arange(4)
    assert roc_auc_rows(Y, weights, rows) is None  # label 1's positive: weight 0
    assert roc_auc_rows(Y, np.ones(4), rows) is rows
    assert roc_auc_rows(sp.csr_matrix(Y), np.ones(4), rows) is rows
    assert roc_auc_rows(Y, np.ones(4), np.array([0, 2])) is None


@pytest.fixture
def validation_rows(monkeypatch):
    """The validation rows of the fits in the test, as the training saw them."""
    seen = []

    def recording(Y, row_weight, rows):
        seen.append(rows)
        return roc_auc_rows(Y, row_weight, rows)

    monkeypatch.setattr(_training, "roc_auc_rows", recording)
    return seen


@pytest.mark.parametrize("engine", [True, False], ids=["engine", "keras_fit"])
def test_early_stopping_keeps_the_best_roc_auc(
    multilabel_data, validation_rows, monkeypatch, engine
):
    """Check that the restored network is the epoch of the highest validation
    ROC AUC, and that its outputs on the validation rows score it."""
    if not engine:
        monkeypatch.setattr(_engine, "has_engine", lambda: False)
    X, Y = multilabel_data
    X = StandardScaler().fit_transform(X)
    clf = small(
        epochs=60,
        early_stopping=True,
        n_iter_no_change=3,
        validation_split=0.3,
        learning_rate=0.05,
        hidden_layer_sizes=(32,),
    ).fit(X, Y)
    assert clf.scoring == "roc_auc"
    history = clf.history_["val_roc_auc"]
    assert len(history) == clf.n_iter_ < 60  # stopped early
    best = int(np.argmax(history))
    assert clf.n_iter_ == best + 1 + 3
    (rows,) = validation_rows
    scores = clf.predict_proba(X[rows])
    auc = _sklearn_macro_auc(Y[rows], scores, np.ones(rows.shape[0]))
    assert auc == pytest.approx(history[best], abs=1e-6)


def test_scoring_loss_monitors_the_validation_loss(multilabel_data):
    """Check that scoring="loss" stops on the validation loss, as 0.1.x did,
    and records no ROC AUC."""
    X, Y = multilabel_data
    params = dict(epochs=60, early_stopping=True, n_iter_no_change=3)
    params.update(validation_split=0.3)
    clf = small(scoring="loss", learning_rate=0.05, **params).fit(X, Y)
    history = clf.history_["val_loss"]
    assert "val_roc_auc" not in clf.history_
    assert clf.n_iter_ == int(np.argmin(history)) + 1 + 3


def test_without_validation_rows_the_training_loss_is_monitored(multilabel_data):
    """Check that without validation rows no ROC AUC is computed or monitored."""
    X, Y = multilabel_data
    clf = small(epochs=5, early_stopping=True, validation_split=0.0).fit(X, Y)
    assert set(clf.history_) == {"loss"}


def test_unscorable_validation_rows_fall_back_to_the_loss(validation_rows):
    """Check that validation rows where no label has both classes stop on the
    validation loss instead of failing on an undefined ROC AUC."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    Y = np.zeros((60, 2), dtype=int)
    Y[0, 1] = 1  # one positive row: most seeds leave it out of validation
    for seed in range(10):
        clf = small(
            epochs=3, early_stopping=True, validation_split=0.2, random_state=seed
        ).fit(X, Y)
        if not Y[validation_rows[-1]].any():
            break
    assert not Y[validation_rows[-1]].any()
    assert "val_roc_auc" not in clf.history_
    assert "val_loss" in clf.history_


def test_bad_scoring_is_rejected(multilabel_data):
    """Check that an unknown scoring names the options."""
    X, Y = multilabel_data
    with pytest.raises(ValueError, match="'scoring' parameter .* among .*'loss'"):
        small(scoring="f1").fit(X, Y)

"""sampled_labels: steps on a batch's positive labels and a few drawn ones."""

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import small
from sklearn.utils._param_validation import InvalidParameterError

from skmultilabelnn._engine._sampled_labels import LabelSampler, prior_log_odds
from skmultilabelnn.metrics import precision_at_k


@pytest.fixture(scope="module")
def many_labels():
    """600 rows, 20 features, 60 labels: each row's 3 best-scoring labels of
    a random linear map (learnable), frequencies uneven."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 20)).astype(np.float32)
    scores = X @ rng.normal(size=(20, 60)) + np.linspace(0, 3, 60)
    Y = np.zeros(scores.shape, dtype=np.int64)
    np.put_along_axis(Y, np.argsort(-scores, axis=1)[:, :3], 1, axis=1)
    return X, Y


def test_sampler_keeps_positives_and_weighs_draws():
    """Check a block's labels: each batch's positive labels with weight 1,
    then ``n_sampled`` others whose weights sum to the labels left out,
    then padding of weight 0; targets are Y's entries."""
    rng = np.random.default_rng(0)
    Y = (rng.random((40, 30)) < 0.05).astype(np.int64)
    ones = np.ones(30)
    sampler = LabelSampler(sp.csr_matrix(Y), ones, ones, n_sampled=5)
    padded = np.arange(40).reshape(4, 10)
    padded[3, 7:] = -1
    labels, targets, pos, neg = sampler.block(padded, rng)
    width = labels.shape[1]
    for b in range(4):
        rows = padded[b][padded[b] >= 0]
        positive = np.flatnonzero(Y[rows].any(axis=0))
        n_positive = positive.shape[0]
        np.testing.assert_array_equal(np.sort(labels[b, :n_positive]), positive)
        drawn = labels[b, n_positive : n_positive + 5]
        assert not np.isin(drawn, positive).any()
        assert np.unique(drawn).shape[0] == 5
        assert (labels[b, n_positive + 5 :] == 30).all()  # padding
        scale = width / 30  # batch_loss' mean over the width
        np.testing.assert_allclose(pos[b, :n_positive], scale)
        np.testing.assert_allclose(
            neg[b, n_positive : n_positive + 5].sum(), scale * (30 - n_positive)
        )
        assert (pos[b, n_positive + 5 :] == 0).all()
        kept = labels[b, : n_positive + 5]
        np.testing.assert_array_equal(
            targets[b, : rows.shape[0], : n_positive + 5], Y[rows][:, kept]
        )
        assert not targets[b, rows.shape[0] :].any()


def test_sampled_terms_estimate_the_full_loss():
    """Check that the weighted terms of the drawn labels are an unbiased
    estimate of the sum over every label without a positive in the batch."""
    rng = np.random.default_rng(1)
    Y = np.zeros((4, 50), dtype=np.int64)
    Y[0, 3] = Y[1, 7] = 1
    terms = rng.random(51)  # one loss term per label (and 0 for padding)
    terms[50] = 0.0
    ones = np.ones(50)
    sampler = LabelSampler(Y, ones, ones, n_sampled=4)
    padded = np.arange(4)[None, :]
    estimates = []
    for _ in range(3000):
        labels, _, _, neg = sampler.block(padded, rng)
        drawn = labels[0, 2:]
        estimates.append((neg[0, 2:] * terms[drawn]).sum() * 50 / labels.shape[1])
    full = terms[:50].sum() - terms[[3, 7]].sum()
    assert np.mean(estimates) == pytest.approx(full, rel=0.02)


def test_prior_log_odds():
    Y = np.array([[1, 0], [1, 0], [0, 0], [1, 1]])
    log_odds = prior_log_odds(sp.csr_matrix(Y), np.array([0, 1, 2]))
    np.testing.assert_allclose(log_odds, np.log([2.5 / 1.5, 0.5 / 3.5]))


def test_sampled_labels_learn_the_labels(many_labels):
    """Check that a network trained on sampled labels ranks the held-out
    rows' labels far above popularity and near the full layer."""
    X, Y = many_labels
    train, test = slice(0, 500), slice(500, None)
    counts = Y[train].sum(axis=0)
    popular = np.tile(counts.astype(float), (100, 1))
    params = dict(hidden_layer_sizes=(32,), epochs=30, batch_size=50)
    full = small(**params).fit(X[train], Y[train])
    sampled = small(sampled_labels=10, **params).fit(X[train], Y[train])
    p1 = {
        name: precision_at_k(Y[test], clf.predict_proba(X[test]), k=1)
        for name, clf in (("full", full), ("sampled", sampled))
    }
    assert precision_at_k(Y[test], popular, k=1) < 0.2
    assert p1["sampled"] > 0.6
    assert p1["sampled"] > p1["full"] - 0.15


class _FirstWeights(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.kernel = np.array(self.model.layers[-1].kernel)


def test_a_step_moves_its_sampled_columns_only(many_labels):
    """Check that one step (every row in one batch) moves the output kernel's
    columns of the batch's positive labels and of the drawn ones only."""
    X, Y = many_labels
    Y = Y.copy()
    Y[:, :30] = 0  # 30 labels never positive: 5 of them drawn
    first = _FirstWeights()
    clf = small(sampled_labels=5, epochs=1, batch_size=600, callbacks=[first])
    clf.fit(X, Y)
    moved = (np.array(clf.model_.layers[-1].kernel) != first.kernel).any(axis=0)
    assert moved[30:].all()
    assert moved[:30].sum() == 5


def test_at_least_every_label_trains_every_label(many_labels):
    """Check that ``sampled_labels`` of at least the number of labels fits
    the network of ``sampled_labels=None``."""
    X, Y = many_labels
    expected = small().fit(X, Y).predict_proba(X)
    got = small(sampled_labels=Y.shape[1]).fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_sparse_targets_and_class_weights(many_labels, optimizer):
    """Check a CSR y (predict gives CSR), balanced class weights and an
    optimizer updated densely (SGD) with sampled labels."""
    X, Y = many_labels
    clf = small(
        sampled_labels=8, class_weight="balanced", optimizer=optimizer, epochs=2
    ).fit(sp.csr_matrix(X), sp.csr_matrix(Y))
    assert np.isfinite(clf.history_["loss"]).all()
    assert sp.issparse(clf.predict(X))
    assert clf.predict_proba(X).shape == Y.shape


def test_a_model_without_a_sigmoid_dense_output_is_refused(many_labels):
    X, Y = many_labels

    def build(meta):
        inputs = keras.Input(shape=(meta["n_features_in_"],))
        outputs = keras.layers.Dense(meta["n_outputs_"])(inputs)
        outputs = keras.layers.Activation("sigmoid")(outputs)
        model = keras.Model(inputs, outputs)
        model.compile(loss="binary_crossentropy")
        return model

    with pytest.raises(ValueError, match="sampled_labels needs a network"):
        small(model=build, sampled_labels=5).fit(X, Y)


def test_training_metrics_are_refused(many_labels):
    X, Y = many_labels
    with pytest.raises(ValueError, match="training metrics cannot be computed"):
        small(sampled_labels=5, metrics=["binary_accuracy"]).fit(X, Y)


def test_sampled_labels_must_be_positive(many_labels):
    X, Y = many_labels
    with pytest.raises(InvalidParameterError, match="sampled_labels"):
        small(sampled_labels=0).fit(X, Y)


def test_a_loss_without_per_label_terms_is_refused(many_labels):
    X, Y = many_labels
    with pytest.raises(ValueError, match="sampled_labels weighs the per-label terms"):
        small(sampled_labels=5, loss="mse").fit(X, Y)

"""Sparse X: CSR/CSC input through the first layer's sparse product (lazy or
dense updates), densified a few batches at a time for other networks, text
pipelines."""

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import count_calls, small
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils import get_tags

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn._engine import _first_layer, _inference, _loop, _sparse_rows
from skmultilabelnn._engine._sparse_rows import (
    expected_touched_columns,
    prefers_sparse_product,
    sparse_groups,
    touched_columns,
    trains_through_sparse_product,
)


@pytest.fixture(scope="module")
def sparse_data():
    """200 rows of 300 mostly-zero features; each label follows a few features."""
    rng = np.random.default_rng(0)
    X = sp.random(200, 300, density=0.05, random_state=0, format="csr", dtype=float)
    dense = X.toarray()
    Y = np.column_stack([dense[:, 3 * j : 3 * j + 3].sum(axis=1) > 0 for j in range(4)])
    Y = Y.astype(np.int64)
    Y[rng.random(Y.shape) < 0.05] ^= 1
    return X, Y


@pytest.fixture
def sparse_product(monkeypatch):
    """The first layer's sparse product for any sparse X, however narrow (the
    tests' sets are small; in use it serves X wider than its batches)."""
    monkeypatch.setattr(_sparse_rows, "MIN_WIDTH_RATIO", 0)


def test_sparse_product_for_wide_X_only():
    """Check that X much wider than a batch's non-zeros goes through the sparse
    product, and narrower X is densified."""
    X = sp.random(100, 2000, density=0.01, random_state=0, format="csr")  # 20 a row
    assert prefers_sparse_product(X, rows_per_step=8)  # 160 a step
    assert not prefers_sparse_product(X, rows_per_step=32)  # 640 a step
    # training: about 150 and 550 distinct columns touched a step
    assert trains_through_sparse_product(X, batch_size=8)
    assert not trains_through_sparse_product(X, batch_size=32)


def test_training_counts_the_columns_a_batch_touches(monkeypatch):
    """Check that training goes through the sparse product when a batch's rows
    touch few distinct columns, however many non-zeros they have (words that
    recur across documents), and that a fit then takes that path."""
    rng = np.random.default_rng(0)
    common = rng.choice(2000, size=60, replace=False)  # every row's columns
    rows = np.repeat(np.arange(96), 61)
    columns = np.column_stack([np.tile(common, (96, 1)), rng.integers(0, 2000, 96)])
    X = sp.csr_matrix((rng.random(rows.shape[0]), (rows, columns.ravel())), (96, 2000))
    assert not prefers_sparse_product(X, rows_per_step=32)  # 1,952 non-zeros a step
    assert trains_through_sparse_product(X, batch_size=32)  # about 90 columns
    assert 85 < expected_touched_columns(X, 32) < 95
    taken = count_calls(monkeypatch, _loop, "_sparse_product_epochs")
    Y = (X[:, common[:3]].toarray() > 0.5).astype(int)
    small(batch_size=32).fit(X, Y)
    assert taken


def test_expected_touched_columns_by_sampling():
    """Check the expected number of distinct columns in a batch of rows drawn
    without replacement against the mean over random batches."""
    rng = np.random.default_rng(0)
    frequency = 1.0 / np.arange(1, 501)  # a few common columns, many rare
    X = sp.csr_matrix(rng.random((300, 500)) < 0.2 * frequency)
    for batch_size in (1, 16, 64, 300):
        draws = [
            np.unique(X[rng.choice(300, batch_size, replace=False)].indices).size
            for _ in range(2000)
        ]
        expected = expected_touched_columns(X, batch_size)
        np.testing.assert_allclose(expected, np.mean(draws), rtol=0.01)


@pytest.mark.parametrize("to_sparse", [sp.csr_matrix, sp.csc_matrix, sp.coo_matrix])
@pytest.mark.parametrize("product", [True, False])
def test_sparse_X_trains_as_dense_X(sparse_data, to_sparse, product, monkeypatch):
    """Check that CSR, CSC and COO X, through the sparse product with dense
    updates or densified, train the network that dense X trains (dropout and
    an ensemble included)."""
    if product:
        monkeypatch.setattr(_sparse_rows, "MIN_WIDTH_RATIO", 0)
    X, Y = sparse_data
    params = dict(validation_split=0.2, dropout=0.2, ensemble_size=2)
    dense = small(**params).fit(X.toarray(), Y)
    clf = small(sparse_updates="dense", **params).fit(to_sparse(X), Y)
    np.testing.assert_allclose(
        clf.predict_proba(to_sparse(X)), dense.predict_proba(X.toarray()), atol=1e-5
    )
    np.testing.assert_allclose(
        clf.history_["val_loss"], dense.history_["val_loss"], rtol=1e-4
    )


def _regularized_first_layer(meta):
    """A network whose first layer is not a plain Dense layer: densified X."""
    inputs = keras.Input(shape=(meta["X_shape_"][1],))
    hidden = keras.layers.Dense(8, activation="relu", kernel_regularizer="l2")(inputs)
    outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(hidden)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("densified", [False, True])
def test_batches_sent_in_blocks(sparse_data, sparse_product, monkeypatch, densified):
    """Check that blocks smaller than an epoch, and a short last one, change
    nothing, for the sparse product's blocks of non-zeros and for densified
    batches (a network whose first layer has a regularizer)."""
    X, Y = sparse_data
    params = dict(model=_regularized_first_layer) if densified else {}
    whole = small(**params).fit(X, Y).predict_proba(X)
    # 3 batches of 32 rows a block: 7 batches -> 3 + 3 + 1
    monkeypatch.setattr(_loop, "BLOCK_BYTES", 3 * 32 * 300 * 4)
    monkeypatch.setattr(_loop, "BLOCK_ENTRIES", 3 * 32 * 2 * X.nnz / X.shape[0])
    blocked = small(**params).fit(X, Y).predict_proba(X)
    np.testing.assert_allclose(blocked, whole, atol=1e-6)


def test_sparse_groups_hold_each_rows_non_zeros():
    """Check that padded groups of rows give back the rows, padding rows empty."""
    X = sp.random(9, 20, density=0.3, random_state=1, format="csr", dtype=np.float32)
    groups = np.array([[4, 0, -1], [8, 2, 3]])
    columns, values, segments = sparse_groups(X, groups)
    assert columns.shape == values.shape == segments.shape
    for group, rows in enumerate(groups):
        rebuilt = np.zeros((3, 21), np.float32)  # column 20: the padding's
        np.add.at(rebuilt, (segments[group], columns[group]), values[group])
        expected = np.zeros((3, 20), np.float32)
        expected[rows >= 0] = X[rows[rows >= 0]].toarray()
        np.testing.assert_array_equal(rebuilt[:, :20], expected)
        assert not rebuilt[:, 20].any()
    touched, inverse = touched_columns(columns, 20)
    for group in range(2):
        present = np.unique(columns[group])
        np.testing.assert_array_equal(touched[group, : present.size], present)
        assert (touched[group, present.size :] == 20).all()  # padding
        np.testing.assert_array_equal(touched[group, inverse[group]], columns[group])


def test_row_starts_make_a_group_a_csr_matrix():
    """Check that a group's non-zeros with ``row_starts`` as the ``indptr``
    are its rows as a CSR matrix, padding rows empty and the padding's
    entries (value 0) counted in the last row."""
    X = sp.random(9, 20, density=0.3, random_state=1, format="csr", dtype=np.float32)
    for rows in ([4, 0, -1, -1], [8, 2, 3, 5]):
        rows = np.array(rows)
        columns, values, _ = (part[0] for part in sparse_groups(X, rows[None], 64))
        starts = _sparse_rows.row_starts(X, rows, columns.shape[0])
        assert starts[-1] == columns.shape[0] == 64
        present = np.minimum(columns, 19)  # the padding's column read as 19
        rebuilt = sp.csr_matrix((values, present, starts), shape=(4, 20))
        expected = np.zeros((4, 20), np.float32)
        expected[rows >= 0] = X[rows[rows >= 0]].toarray()
        np.testing.assert_array_equal(rebuilt.toarray(), expected)


def test_lazy_updates_leave_absent_features_rows_alone(sparse_product):
    """Check that a lazy step moves only the kernel rows of the features in its
    batch (a feature of the first batch only keeps its first step's weights),
    where dense Adam keeps moving them by their momentum."""
    rng = np.random.default_rng(0)
    X = sp.random(64, 30, density=0.2, random_state=2, format="lil", dtype=np.float32)
    X[:, 0] = 0
    X[:5, 0] = 1.0  # feature 0 only in the first batch of 32 rows
    X = X.tocsr()
    Y = (rng.random((64, 3)) < 0.5).astype(int)
    params = dict(batch_size=32, shuffle=False, epochs=1)

    def kernel_row(clf):
        return clf.model_.layers[1].kernel.numpy()[0]

    first_step = kernel_row(small(**params).fit(X[:32], Y[:32]))
    lazy = kernel_row(small(**params).fit(X, Y))
    dense = kernel_row(small(sparse_updates="dense", **params).fit(X, Y))
    np.testing.assert_allclose(lazy, first_step, rtol=1e-6)
    assert np.abs(dense - first_step).max() > 1e-3


@pytest.mark.parametrize(
    "optimizer, lazy",
    [("adam", True), ("adamw", True), ("sgd", False), (keras.optimizers.Adam, True)],
)
def test_lazy_updates_with_adam_only(sparse_data, sparse_product, optimizer, lazy):
    """Check that Adam and AdamW update lazily (other results than dense
    updates) and that other optimizers update every row whatever
    ``sparse_updates`` says (the same results)."""
    X, Y = sparse_data
    lazy_fit, dense_fit = (
        small(optimizer=optimizer, sparse_updates=updates).fit(X, Y).predict_proba(X)
        for updates in ("lazy", "dense")
    )
    assert np.allclose(lazy_fit, dense_fit, atol=1e-6) is not lazy


def test_lazy_updates_refused_for_clipped_or_scheduled_adam():
    """Check which Adam settings update every row: gradient clipping, AMSGrad,
    a learning-rate schedule."""
    from skmultilabelnn._engine._row_updates import lazy_updates_apply

    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 10, 0.9)
    assert lazy_updates_apply(keras.optimizers.Adam())
    assert not lazy_updates_apply(keras.optimizers.Adam(clipnorm=1.0))
    assert not lazy_updates_apply(keras.optimizers.Adam(amsgrad=True))
    assert not lazy_updates_apply(keras.optimizers.Adam(learning_rate=schedule))
    assert not lazy_updates_apply(keras.optimizers.RMSprop())


def test_sparse_product_serves_chains_and_their_average():
    """Check which networks read sparse X without densifying it: a chain from
    a plain Dense layer (functional or Sequential) and an average of chains;
    not one whose input feeds two layers or a non-Dense layer."""
    inputs = keras.Input(shape=(6,))
    chain = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(4)(inputs)))
    sequential = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])
    members = [keras.models.clone_model(chain) for _ in range(3)]
    for i, member in enumerate(members):
        member.name = f"member_{i}"
    averaged = keras.Model(inputs, keras.layers.Average()([m(inputs) for m in members]))
    forked = keras.Model(
        inputs,
        keras.layers.Add()(
            [keras.layers.Dense(2)(inputs), keras.layers.Dense(2)(inputs)]
        ),
    )
    scaled = keras.Model(
        inputs, keras.layers.Dense(2)(keras.layers.Rescaling(2.0)(inputs))
    )
    assert len(_first_layer.sparse_branches(chain)) == 1
    assert _first_layer.sparse_branches(sequential)[0].tail is None
    assert len(_first_layer.sparse_branches(averaged)) == 3
    assert _first_layer.sparse_branches(forked) is None
    assert _first_layer.sparse_branches(scaled) is None


def test_sparse_predictions_match_dense_ones(sparse_data, sparse_product):
    """Check that a network's and an ensemble's outputs on sparse X, chunk by
    chunk through the sparse product, are their outputs on dense X."""
    X, Y = sparse_data
    X = X.astype(np.float32)  # the model's dtype, as the estimator converts it
    clf = small(ensemble_size=3, dropout=0.3).fit(X, Y)
    dense = _inference.predict_in_chunks(clf.model_, X.toarray(), batch_size=64)
    sparse = _inference.predict_in_chunks(clf.model_, X, batch_size=64)
    np.testing.assert_allclose(sparse, dense, atol=1e-6)


def test_sparse_with_64_bit_indices(sparse_data):
    """Check that int64 indices are accepted."""
    X, Y = sparse_data
    X64 = X.copy()
    X64.indices, X64.indptr = X64.indices.astype(np.int64), X64.indptr.astype(np.int64)
    np.testing.assert_allclose(
        small().fit(X64, Y).predict_proba(X64), small().fit(X, Y).predict_proba(X)
    )


def test_sparse_input_checks(sparse_data):
    """Check that NaN in .data and a wrong feature count are refused clearly."""
    X, Y = sparse_data
    bad = X.copy()
    bad.data[0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        small(epochs=1).fit(bad, Y)
    clf = small(epochs=1).fit(X, Y)
    with pytest.raises(ValueError, match="X has 299 features, but .* expecting 300"):
        clf.predict(X[:, :299])
    assert get_tags(clf).input_tags.sparse


def test_sparse_partial_fit_and_warm_start(sparse_data, sparse_product):
    """Check that partial_fit and warm starts continue training on sparse X
    (lazily: their loss keeps falling)."""
    X, Y = sparse_data
    clf = small(epochs=1)
    losses = [clf.partial_fit(X, Y).history_["loss"][-1] for _ in range(4)]
    assert losses[-1] < losses[0]
    warm = small(warm_start=True, epochs=2).fit(X, Y)
    first = warm.history_["loss"][-1]
    assert warm.fit(X, Y).history_["loss"][-1] < first


def test_sparse_product_restores_the_best_epoch(sparse_data, sparse_product):
    """Check that early stopping through the sparse product (whose JAX epochs
    reuse their state's memory) restores the best epoch's weights, and that
    training can go on from the restored state."""
    X, Y = sparse_data
    params = dict(validation_split=0.3, learning_rate=0.3, scoring="loss")
    clf = small(early_stopping=True, n_iter_no_change=2, epochs=40, **params)
    val_loss = clf.fit(X, Y).history_["val_loss"]
    best = int(np.argmin(val_loss))
    assert best == len(val_loss) - 3 < 37  # stopped 2 epochs after the best
    # the same seeds train the same first epochs: stopping there is the best
    at_best = small(early_stopping=False, epochs=best + 1, **params).fit(X, Y)
    np.testing.assert_allclose(
        clf.predict_proba(X), at_best.predict_proba(X), atol=1e-6
    )
    assert np.isfinite(clf.partial_fit(X, Y).predict_proba(X)).all()


def test_sparse_with_thresholds_and_class_weight(sparse_data, sparse_product):
    """Check learned thresholds, class weights and at_least_one_label on sparse X
    through the sparse product."""
    X, Y = sparse_data
    clf = small(
        threshold="auto",
        threshold_cv=3,
        class_weight="balanced",
        at_least_one_label=True,
    ).fit(X, Y)
    assert clf.thresholds_.shape == (4,)
    assert clf.predict(X).sum(axis=1).min() >= 1


def test_text_to_tags_with_tfidf():
    """Check a pipeline from raw strings to predicted tag names."""
    rng = np.random.default_rng(1)
    vocabulary = {
        "sport": ["goal", "match", "team", "score"],
        "tech": ["code", "chip", "data", "cloud"],
        "food": ["bread", "soup", "cheese", "wine"],
    }
    filler = ["the", "a", "today", "news", "people", "story"]
    texts, tags = [], []
    for _ in range(300):
        chosen = [t for t in vocabulary if rng.random() < 0.4] or ["tech"]
        words = [w for t in chosen for w in rng.choice(vocabulary[t], 3)]
        words += list(rng.choice(filler, 4))
        rng.shuffle(words)
        texts.append(" ".join(words))
        tags.append(chosen)
    binarizer = MultiLabelBinarizer()
    Y = binarizer.fit_transform(tags)
    pipe = make_pipeline(
        TfidfVectorizer(),
        KerasMultilabelClassifier(
            hidden_layer_sizes=(16,), epochs=20, learning_rate=0.01, random_state=0
        ),
    )
    pipe.fit(texts[:250], Y[:250])
    predicted = binarizer.inverse_transform(pipe.predict(texts[250:]))
    truth = [tuple(sorted(t)) for t in tags[250:]]
    accuracy = np.mean([p == t for p, t in zip(predicted, truth, strict=True)])
    assert accuracy > 0.9
    assert binarizer.inverse_transform(pipe.predict(["goal team bread soup"])) == [
        ("food", "sport")
    ]

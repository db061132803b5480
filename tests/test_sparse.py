"""Sparse X: CSR/CSC input, densified a few batches at a time, text pipelines."""

import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import small
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils import get_tags

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn._engine import _loop


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


@pytest.mark.parametrize("to_sparse", [sp.csr_matrix, sp.csc_matrix, sp.coo_matrix])
def test_sparse_X_trains_as_dense_X(sparse_data, to_sparse):
    """Check that CSR, CSC and COO X train the network that dense X trains."""
    X, Y = sparse_data
    dense = small(validation_split=0.2).fit(X.toarray(), Y)
    clf = small(validation_split=0.2).fit(to_sparse(X), Y)
    np.testing.assert_allclose(
        clf.predict_proba(to_sparse(X)), dense.predict_proba(X.toarray()), atol=1e-5
    )
    np.testing.assert_allclose(
        clf.history_["val_loss"], dense.history_["val_loss"], rtol=1e-4
    )


def test_batches_densified_in_blocks(sparse_data, monkeypatch):
    """Check that blocks smaller than an epoch, and a short last one, change nothing."""
    X, Y = sparse_data
    whole = small().fit(X, Y).predict_proba(X)
    # 3 batches of 32 rows of 300 float32 features per block: 7 batches -> 3 + 3 + 1
    monkeypatch.setattr(_loop, "BLOCK_BYTES", 3 * 32 * 300 * 4)
    blocked = small().fit(X, Y).predict_proba(X)
    np.testing.assert_allclose(blocked, whole, atol=1e-6)


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


def test_sparse_with_thresholds_and_class_weight(sparse_data):
    """Check learned thresholds, class weights and at_least_one_label on sparse X."""
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

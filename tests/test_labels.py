"""Tests of KerasMultilabelClassifier.predict_labels: label names per sample."""

import numpy as np
import pytest
from _helpers import ONE_NETWORK
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import MultiLabelBinarizer

from skmultilabelnn import KerasMultilabelClassifier


def _small_classifier(**params):
    defaults = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0, **ONE_NETWORK)
    return KerasMultilabelClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def fitted(multilabel_data):
    """A classifier fitted on the shared toy data, its integer classes_ 0, 1, 2."""
    X, Y = multilabel_data
    return _small_classifier().fit(X, Y)


def test_predict_labels_is_inverse_of_binarizer_on_predict(multilabel_data, fitted):
    """Check that predict_labels is MultiLabelBinarizer's inverse of predict."""
    X, _ = multilabel_data
    expected = MultiLabelBinarizer(classes=fitted.classes_).fit([])
    labels = fitted.predict_labels(X)
    assert isinstance(labels, list)
    assert labels == expected.inverse_transform(fitted.predict(X))
    assert all(isinstance(row, tuple) for row in labels)


def test_predict_labels_integer_classes(multilabel_data, fitted):
    """Check that an ndarray y gives the column indices as plain integers."""
    X, _ = multilabel_data
    np.testing.assert_array_equal(fitted.classes_, [0, 1, 2])
    labels = fitted.predict_labels(X)
    assert {label for row in labels for label in row} <= {0, 1, 2}
    assert all(type(label) is int for row in labels for label in row)
    # labels come in classes_ order
    assert all(list(row) == sorted(row) for row in labels)


def test_predict_labels_dataframe_column_names(multilabel_data):
    """Check that the columns of a DataFrame y come back as label names."""
    pd = pytest.importorskip("pandas")
    X, Y = multilabel_data
    columns = ["sport", "tech", "food"]
    clf = _small_classifier(threshold=0.0).fit(X, pd.DataFrame(Y, columns=columns))
    assert clf.predict_labels(X[:2]) == [tuple(columns), tuple(columns)]
    clf.set_params(threshold=[1.0, 0.0, 1.0])
    assert clf.predict_labels(X[:2]) == [("tech",), ("tech",)]


@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_predict_labels_follows_threshold(multilabel_data, fitted, threshold):
    """Check that a threshold set after fit changes the labels as in predict."""
    X, _ = multilabel_data
    clf = fitted.set_params(threshold=threshold)
    try:
        proba = clf.predict_proba(X)
        expected = [tuple(np.flatnonzero(row >= threshold).tolist()) for row in proba]
        assert clf.predict_labels(X) == expected
    finally:
        clf.set_params(threshold=0.5)


def test_predict_labels_threshold_zero_and_at_least_one_label(multilabel_data, fitted):
    """Check that threshold 0 gives every label and at_least_one_label one each."""
    X, _ = multilabel_data
    clf = fitted.set_params(threshold=0.0)
    try:
        assert clf.predict_labels(X[:3]) == [(0, 1, 2)] * 3
        # a threshold above every probability: nothing, or the most probable label
        clf.set_params(threshold=1.0)
        proba = clf.predict_proba(X[:3])
        assert (proba < 1.0).all()
        assert clf.predict_labels(X[:3]) == [()] * 3
        clf.set_params(at_least_one_label=True)
        expected = [(int(i),) for i in proba.argmax(axis=1)]
        assert clf.predict_labels(X[:3]) == expected
    finally:
        clf.set_params(threshold=0.5, at_least_one_label=False)


def test_predict_labels_learned_thresholds(multilabel_data):
    """Check that threshold='auto' labels are those of predict with thresholds_."""
    X, Y = multilabel_data
    clf = _small_classifier(threshold="auto", threshold_cv=3).fit(X, Y)
    indicator = clf.predict_proba(X) >= clf.thresholds_
    expected = [tuple(np.flatnonzero(row).tolist()) for row in indicator]
    assert clf.predict_labels(X) == expected


@pytest.mark.parametrize(
    "y",
    [
        pytest.param(np.array(["no", "yes"] * 30), id="binary-str"),
        pytest.param(np.array([3, 5, 7] * 20), id="multiclass-int"),
    ],
)
def test_predict_labels_one_dimensional_target(y):
    """Check that a 1-D y gives one 1-tuple of the predicted class per sample."""
    X = np.random.default_rng(0).normal(size=(y.shape[0], 4))
    clf = _small_classifier().fit(X, y)
    labels = clf.predict_labels(X)
    assert labels == [(label,) for label in clf.predict(X).tolist()]
    assert all(len(row) == 1 and row[0] in clf.classes_ for row in labels)


def test_predict_labels_unfitted():
    """Check that an unfitted classifier raises NotFittedError."""
    with pytest.raises(NotFittedError, match="not fitted"):
        _small_classifier().predict_labels(np.zeros((2, 6)))

"""threshold="auto" and at_least_one_label on KerasMultilabelClassifier."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from skmultilabelnn import KerasMultilabelClassifier, _classifier

X, Y = make_multilabel_classification(
    n_samples=150, n_features=6, n_classes=4, n_labels=2, random_state=3
)
X = X + np.arange(X.shape[0])[:, None] * 1e-3  # every row distinct


def small(**params):
    defaults = dict(
        hidden_layer_sizes=(8,),
        epochs=3,
        learning_rate=0.01,
        random_state=0,
        threshold="auto",
    )
    return KerasMultilabelClassifier(**{**defaults, **params})


def _rows(array):
    return {row.tobytes() for row in np.asarray(array, dtype=np.float32)}


@pytest.mark.parametrize("validation_split", [0.0, 0.3])
def test_auto_thresholds_learned_on_rows_never_trained_on(
    monkeypatch, validation_split
):
    """Check that the tuning rows and the training rows are disjoint."""
    trained, tuned = [], []
    real_train, real_tune = _classifier.train, _classifier.tune_thresholds

    def spy_train(model, loss, data, options):
        trained.append(data.X[data.train_rows])
        return real_train(model, loss, data, options)

    def spy_tune(y_true, scores, **kwargs):
        tuned.append(y_true)
        return real_tune(y_true, scores, **kwargs)

    real_predict = _classifier.predict_in_chunks
    predicted = []

    def spy_predict(model, X, *args, **kwargs):
        predicted.append(X)
        return real_predict(model, X, *args, **kwargs)

    monkeypatch.setattr(_classifier, "train", spy_train)
    monkeypatch.setattr(_classifier, "tune_thresholds", spy_tune)
    monkeypatch.setattr(_classifier, "predict_in_chunks", spy_predict)
    small(validation_split=validation_split).fit(X, Y)

    trained_rows, tuning_rows = _rows(trained[0]), _rows(predicted[0])
    assert not trained_rows & tuning_rows
    assert trained_rows | tuning_rows == _rows(X)
    fraction = validation_split or _classifier.THRESHOLD_HOLDOUT
    assert len(tuning_rows) == int(np.ceil(fraction * len(X)))
    assert tuned[0].shape == (len(tuning_rows), 4)


def test_auto_thresholds_shape_range_and_use():
    """Check thresholds_' shape and range, and that predict applies them."""
    clf = small().fit(X, Y)
    assert clf.thresholds_.shape == (4,)
    assert np.all((clf.thresholds_ >= 0) & (clf.thresholds_ <= 1))
    np.testing.assert_array_equal(
        clf.predict(X), clf.predict_proba(X) >= clf.thresholds_
    )


def test_auto_thresholds_reproducible():
    """Check that a fixed random_state gives the same thresholds and predictions."""
    first, second = small().fit(X, Y), small().fit(X, Y)
    np.testing.assert_array_equal(first.thresholds_, second.thresholds_)
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    other = small(random_state=1).fit(X, Y)
    assert not np.array_equal(first.thresholds_, other.thresholds_)


def test_auto_after_fit_with_fixed_threshold_needs_refit():
    """Check the error when threshold="auto" is set after a fit without it."""
    clf = small().fit(X, Y)  # learned thresholds, then a refit without them
    clf.set_params(threshold=0.5).fit(X, Y)
    assert not hasattr(clf, "thresholds_")
    clf.set_params(threshold="auto")
    with pytest.raises(ValueError, match="threshold='auto' learns the thresholds"):
        clf.predict(X)


def test_auto_needs_rows_to_train_on():
    """Check the error when the held-out part would leave no training rows."""
    with pytest.raises(ValueError, match="leaves none to train on"):
        small().fit(X[:1], Y[:1])


def test_bad_threshold_metric():
    """Check that an unknown threshold_metric is refused, naming the value."""
    with pytest.raises(ValueError, match="'threshold_metric' parameter.*'recall'"):
        small(threshold_metric="recall").fit(X, Y)


def test_at_least_one_label():
    """Check that every sample gets its most probable label when none passes."""
    clf = small(threshold=1.0, at_least_one_label=True).fit(X, Y)
    y_pred = clf.predict(X)
    np.testing.assert_array_equal(y_pred.sum(axis=1), np.ones(len(X)))
    np.testing.assert_array_equal(
        y_pred.argmax(axis=1), clf.predict_proba(X).argmax(axis=1)
    )


def test_auto_is_ignored_for_multiclass_targets():
    """Check that a multiclass target, which ignores thresholds, learns none."""
    y = Y.argmax(axis=1)
    clf = small().fit(X, y)
    assert not hasattr(clf, "thresholds_")
    assert set(clf.predict(X)) <= set(y)

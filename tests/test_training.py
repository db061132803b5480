"""Training from a resolved spec: cross-fitted threshold="auto", folds and seeds."""

import numpy as np
import pytest
from _helpers import small as small_classifier
from sklearn.datasets import make_multilabel_classification

from skmultilabelnn import _training
from skmultilabelnn._training import Seeds

X, Y = make_multilabel_classification(
    n_samples=150, n_features=6, n_classes=4, n_labels=2, random_state=3
)
X = X + np.arange(X.shape[0])[:, None] * 1e-3  # every row distinct


def small(**params):
    """threshold="auto" learned from ``threshold_cv=3`` folds' own networks."""
    return small_classifier(**{"threshold": "auto", "threshold_cv": 3, **params})


def _rows(array):
    return {row.tobytes() for row in np.asarray(array, dtype=np.float32)}


@pytest.mark.parametrize("ensemble_size", [1, 2])
@pytest.mark.parametrize("validation_split", [0.0, 0.3])
def test_auto_thresholds_come_from_networks_that_never_trained_on_the_rows(
    monkeypatch, ensemble_size, validation_split
):
    """Check that every out-of-fold probability comes from networks that never
    trained on (nor validated on) its row, that the folds cover every row once,
    and that the network kept then trains on all the rows."""
    events = []
    real_train, real_predict = _training.train, _training.predict
    real_learn = _training.learn_thresholds

    def spy_train(model, loss, data, options):
        seen = data.train_rows
        if data.validation_rows is not None:
            seen = np.r_[seen, data.validation_rows]
        events.append(("train", _rows(data.X[seen]), _rows(data.X[data.train_rows])))
        return real_train(model, loss, data, options)

    def spy_predict(model, X_part, *args, **kwargs):
        events.append(("predict", _rows(X_part), None))
        return real_predict(model, X_part, *args, **kwargs)

    learned = []

    def spy_learn(y_true, scores, **kwargs):
        learned.append((y_true, scores))
        return real_learn(y_true, scores, **kwargs)

    monkeypatch.setattr(_training, "train", spy_train)
    monkeypatch.setattr(_training, "predict", spy_predict)
    monkeypatch.setattr(_training, "learn_thresholds", spy_learn)
    clf = small(ensemble_size=ensemble_size, validation_split=validation_split)
    clf.fit(X, Y)

    fold_seen, predicted = set(), []
    for kind, rows, _ in events[:-ensemble_size]:
        if kind == "train":
            fold_seen |= rows
        else:
            assert not rows & fold_seen
            predicted.append(rows)
            fold_seen = set()
    assert len(predicted) == clf.threshold_cv
    assert set().union(*predicted) == _rows(X)
    assert sum(map(len, predicted)) == len(X)
    # the kept network(s): new, trained on all the rows but the validation ones
    final = events[-ensemble_size:]
    assert all(kind == "train" and rows == _rows(X) for kind, rows, _ in final)
    n_trained = len(X) - int(np.ceil(validation_split * len(X)))
    assert all(len(trained) == n_trained for *_, trained in final)
    assert learned[0][0].shape == learned[0][1].shape == Y.shape


def test_auto_thresholds_shape_range_and_use():
    """Check thresholds_' shape and range, and that predict applies them."""
    clf = small().fit(X, Y)
    assert clf.thresholds_.shape == (4,)
    assert np.all((clf.thresholds_ >= 0) & (clf.thresholds_ <= 1))
    np.testing.assert_array_equal(
        clf.predict(X), clf.predict_proba(X) >= clf.thresholds_
    )


@pytest.mark.parametrize("metric", ["f1", "f1_micro", "f1_samples"])
def test_auto_thresholds_reproducible(metric):
    """Check that a fixed random_state gives the same thresholds and predictions."""
    first = small(threshold_metric=metric).fit(X, Y)
    second = small(threshold_metric=metric).fit(X, Y)
    np.testing.assert_array_equal(first.thresholds_, second.thresholds_)
    np.testing.assert_array_equal(first.predict(X), second.predict(X))


def test_auto_thresholds_depend_on_the_metric():
    """Check that the metrics learn different thresholds on the same data."""
    learned = {
        metric: small(threshold_metric=metric, epochs=20).fit(X, Y).thresholds_
        for metric in ("f1", "f1_micro", "f1_samples")
    }
    assert not np.array_equal(learned["f1"], learned["f1_micro"])
    assert not np.array_equal(learned["f1"], learned["f1_samples"])


def test_threshold_cv_sets_the_folds(monkeypatch):
    """Check that threshold_cv networks predict out of fold."""
    calls = []
    real_predict = _training.predict

    def spy_predict(model, X_part, *args, **kwargs):
        calls.append(len(X_part))
        return real_predict(model, X_part, *args, **kwargs)

    monkeypatch.setattr(_training, "predict", spy_predict)
    small(threshold_cv=5).fit(X, Y)
    assert calls == [30] * 5


def test_auto_after_fit_with_fixed_threshold_predicts_at_one_half():
    """Check that threshold="auto" set after a fit that learned none (and
    dropped the earlier thresholds) predicts at 0.5, as documented."""
    clf = small().fit(X, Y)  # learned thresholds, then a refit without them
    assert np.any(clf.thresholds_ != 0.5)
    clf.set_params(threshold=0.5).fit(X, Y)
    assert not hasattr(clf, "thresholds_")
    clf.set_params(threshold="auto")
    np.testing.assert_array_equal(clf.predict(X), clf.predict_proba(X) >= 0.5)


def test_partial_fit_and_warm_start_keep_the_thresholds():
    """Check that partial_fit and a warm-started fit keep thresholds_ of the
    last full fit, and that partial_fit alone learns none."""
    clf = small().fit(X, Y)
    learned = clf.thresholds_.copy()
    clf.partial_fit(X, Y)
    np.testing.assert_array_equal(clf.thresholds_, learned)
    clf.set_params(warm_start=True).fit(X, Y)
    np.testing.assert_array_equal(clf.thresholds_, learned)
    fresh = small().partial_fit(X, Y)
    assert not hasattr(fresh, "thresholds_")
    np.testing.assert_array_equal(fresh.predict(X), fresh.predict_proba(X) >= 0.5)


def test_auto_needs_a_row_per_fold():
    """Check the error when there are fewer rows than threshold folds."""
    with pytest.raises(ValueError, match=r"threshold_cv\) .*2 rows .* too few"):
        small().fit(X[:2], Y[:2])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"threshold_metric": "recall"}, "'threshold_metric' parameter.*'recall'"),
        ({"threshold_cv": 1}, "'threshold_cv' parameter.*Got 1 "),
        ({"decision": "argmax"}, "'decision' parameter.*'argmax'"),
        ({"ensemble_size": 0}, "'ensemble_size' parameter.*Got 0 "),
    ],
)
def test_bad_threshold_parameters(params, match):
    """Check that bad threshold parameters are refused, naming the value."""
    with pytest.raises(ValueError, match=match):
        small(**params).fit(X, Y)


def test_auto_is_ignored_for_multiclass_targets():
    """Check that a multiclass target, which ignores thresholds, learns none."""
    y = Y.argmax(axis=1)
    clf = small().fit(X, y)
    assert not hasattr(clf, "thresholds_")
    assert not hasattr(clf, "label_sets_")
    assert set(clf.predict(X)) <= set(y)


def test_seeds_are_named_and_keep_the_values_of_0_1_0():
    """Check that member and fold seeds are the values 0.1.0 drew, and differ."""

    def child(seed, key):  # 0.1.0's _child_seed: folds k >= 0, members -m
        return int(
            np.random.SeedSequence([seed, key % 2**32]).generate_state(1)[0] >> 1
        )

    seeds = Seeds(12345)
    assert seeds.member(0) == 12345
    assert [seeds.member(m) for m in (1, 2)] == [child(12345, -1), child(12345, -2)]
    assert [seeds.fold(k).fit for k in (0, 1)] == [child(12345, 0), child(12345, 1)]
    assert seeds.fold(1).member(1) == child(child(12345, 1), -1)
    assert len({seeds.member(1), seeds.member(2), seeds.fold(0).fit}) == 3
    unseeded = Seeds(None)
    assert unseeded.member(3) is None and unseeded.fold(2).fit is None


def test_cross_fitted_ensemble_learns_thresholds_without_extra_training(monkeypatch):
    """Check threshold_cv="ensemble": one training per member, each on all folds
    but its own, validated on its own fold, which it alone predicts."""
    trains, predicts = {}, {}  # by member (members may train at once)
    real_train, real_predict = _training.train, _training.predict

    def spy_train(model, loss, data, options):
        rows = (_rows(data.X[data.train_rows]), _rows(data.X[data.validation_rows]))
        trains.setdefault(id(model), []).append(rows)
        return real_train(model, loss, data, options)

    def spy_predict(model, X_part, *args, **kwargs):
        predicts.setdefault(id(model), []).append(_rows(X_part))
        return real_predict(model, X_part, *args, **kwargs)

    monkeypatch.setattr(_training, "train", spy_train)
    monkeypatch.setattr(_training, "predict", spy_predict)
    clf = small(threshold_cv="ensemble", ensemble_size=3, early_stopping=True)
    clf.fit(X, Y)
    # no training beyond the members: one training and one prediction each
    assert len(trains) == 3 and trains.keys() == predicts.keys()
    for member, [(trained, validated)] in trains.items():
        [predicted] = predicts[member]
        assert predicted == validated and not predicted & trained
        assert trained | validated == _rows(X)
    assert set().union(*(p for [p] in predicts.values())) == _rows(X)
    assert clf.thresholds_.shape == (Y.shape[1],)
    np.testing.assert_array_equal(
        clf.predict(X), clf.predict_proba(X) >= clf.thresholds_
    )
    again = small(threshold_cv="ensemble", ensemble_size=3, early_stopping=True)
    np.testing.assert_array_equal(again.fit(X, Y).thresholds_, clf.thresholds_)


def test_cross_fitted_one_network_learns_from_its_validation_rows(monkeypatch):
    """Check that threshold_cv="ensemble" with one member learns the thresholds
    from the validation rows, which the network never trained on, and with no
    validation rows learns none and predicts at 0.5."""
    seen = {}
    real_train, real_learn = _training.train, _training.learn_thresholds

    def spy_train(model, loss, data, options):
        seen["trained"] = _rows(data.X[data.train_rows])
        return real_train(model, loss, data, options)

    def spy_learn(y_true, scores, **kwargs):
        seen["learned"] = len(y_true)
        return real_learn(y_true, scores, **kwargs)

    monkeypatch.setattr(_training, "train", spy_train)
    monkeypatch.setattr(_training, "learn_thresholds", spy_learn)
    clf = small(threshold_cv="ensemble", validation_split=0.2).fit(X, Y)
    assert seen["learned"] == 30 and len(seen["trained"]) == 120
    assert clf.thresholds_.shape == (4,)
    seen.clear()
    plain = small(threshold_cv="ensemble").fit(X, Y)  # validation_split=0
    assert "learned" not in seen and not hasattr(plain, "thresholds_")
    np.testing.assert_array_equal(plain.predict(X), plain.predict_proba(X) >= 0.5)


def test_cross_fitted_ensemble_needs_rows():
    """Check the error of threshold_cv="ensemble" with fewer rows than members."""
    with pytest.raises(ValueError, match=r"\(ensemble_size\) .*2 rows .* too few"):
        small(threshold_cv="ensemble", ensemble_size=3).fit(X[:2], Y[:2])

"""Tests of skmultilabelnn.plots: TrainingCurveDisplay and LabelScoresDisplay."""

import sys

import numpy as np
import pytest
from _helpers import ONE_NETWORK
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.plots import LabelScoresDisplay, TrainingCurveDisplay

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _small_classifier(**params):
    defaults = dict(hidden_layer_sizes=(8,), epochs=4, random_state=0, **ONE_NETWORK)
    return KerasMultilabelClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def fitted(multilabel_data):
    """A classifier with a validation curve and a metric in its history_ (and
    no validation ROC AUC: scoring="loss")."""
    X, Y = multilabel_data
    clf = _small_classifier(
        validation_split=0.25,
        metrics=["binary_accuracy"],
        threshold="auto",
        scoring="loss",
    )
    return clf.fit(X, Y)


def test_training_curves_of_the_validation_roc_auc(multilabel_data):
    """Check that the validation ROC AUC early stopping monitors (the default
    scoring) gets a panel of its own, with the validation curve alone."""
    X, Y = multilabel_data
    clf = _small_classifier(validation_split=0.25).fit(X, Y)
    display = TrainingCurveDisplay.from_estimator(clf)
    assert display.names_ == ["loss", "roc_auc"]
    assert list(display.lines_) == ["loss", "val_loss", "val_roc_auc"]
    np.testing.assert_allclose(
        display.lines_["val_roc_auc"].get_ydata(), clf.history_["val_roc_auc"]
    )
    assert display.ax_[1].get_title() == "roc_auc"


def test_training_curves_from_estimator(fitted):
    """Check that each history_ key gets a line with its values against epochs."""
    display = TrainingCurveDisplay.from_estimator(fitted)
    assert display.names_ == ["loss", "binary_accuracy"]
    assert set(display.lines_) == set(fitted.history_)
    for key, line in display.lines_.items():
        np.testing.assert_allclose(line.get_ydata(), fitted.history_[key])
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
    assert display.ax_.shape == (2,)
    loss_ax, metric_ax = display.ax_
    assert loss_ax.get_title() == "loss"
    assert metric_ax.get_ylabel() == "binary_accuracy"
    assert loss_ax.get_xlabel() == "Epoch"
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == [
        "Train",
        "Validation",
    ]
    assert display.figure_ is loss_ax.figure


def test_training_curves_without_validation(multilabel_data):
    """Check that a history_ without val_ keys draws the training curve alone."""
    X, Y = multilabel_data
    clf = _small_classifier().fit(X, Y)
    display = TrainingCurveDisplay.from_estimator(clf)
    assert list(display.lines_) == ["loss"]
    np.testing.assert_allclose(display.lines_["loss"].get_ydata(), clf.history_["loss"])
    legend = display.ax_[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Train"]


def test_training_curves_reuse_axes(fitted):
    """Check that given Axes are drawn on, and a wrong count of them is refused."""
    fig, axes = plt.subplots(1, 2)
    display = TrainingCurveDisplay.from_estimator(fitted, ax=axes)
    assert list(display.ax_) == list(axes)
    assert display.figure_ is fig
    _, ax = plt.subplots()
    display = TrainingCurveDisplay.from_estimator(fitted, ax=ax, names=["loss"])
    assert display.ax_[0] is ax and len(ax.get_lines()) == 2
    with pytest.raises(ValueError, match="ax has 1 Axes but there are 2 panels"):
        TrainingCurveDisplay.from_estimator(fitted, ax=ax)


def test_training_curves_unknown_name(fitted):
    """Check that a name absent from the history is refused, naming it."""
    with pytest.raises(ValueError, match=r"names must be among .*'auc'"):
        TrainingCurveDisplay.from_estimator(fitted, names=["auc"])


def test_training_curves_shorter_validation_covers_last_epochs():
    """Check that a val_ curve shorter than the training one ends at the last epoch."""
    history = {"loss": [0.9, 0.7, 0.6, 0.5], "val_loss": [0.8, 0.7]}
    display = TrainingCurveDisplay(history).plot()
    np.testing.assert_array_equal(display.lines_["val_loss"].get_xdata(), [3, 4])


def test_label_scores_from_estimator(multilabel_data, fitted):
    """Check that the bars are f1_score(average=None) and the markers thresholds_."""
    X, Y = multilabel_data
    display = LabelScoresDisplay.from_estimator(fitted, X, Y)
    expected = f1_score(Y, fitted.predict(X), average=None, zero_division=0)
    np.testing.assert_allclose(display.f1, expected)
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, expected)
    np.testing.assert_array_equal(display.support, Y.sum(axis=0))
    np.testing.assert_allclose(display.thresholds, fitted.thresholds_)
    np.testing.assert_allclose(
        display.threshold_markers_.get_ydata(), fitted.thresholds_
    )
    assert display.threshold_markers_.axes is display.threshold_ax_
    assert display.threshold_ax_.get_ylabel() == "Threshold"
    assert display.ax_.get_ylabel() == "F1"
    assert display.ax_.get_title() == "F1 per label"
    assert display.ax_.get_xlabel() == "Label (support)"
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert ticks == [f"{i} ({n})" for i, n in enumerate(Y.sum(axis=0))]


@pytest.mark.parametrize(
    "threshold, expected", [(0.3, [0.3, 0.3, 0.3]), ([0.2, 0.5, 0.8], [0.2, 0.5, 0.8])]
)
def test_label_scores_fixed_threshold(multilabel_data, fitted, threshold, expected):
    """Check that a float or per-label threshold is drawn, not stale thresholds_."""
    X, Y = multilabel_data
    fitted.set_params(threshold=threshold)
    try:
        display = LabelScoresDisplay.from_estimator(fitted, X, Y)
        np.testing.assert_allclose(display.threshold_markers_.get_ydata(), expected)
        expected_f1 = f1_score(Y, fitted.predict(X), average=None, zero_division=0)
        np.testing.assert_allclose(display.f1, expected_f1)
    finally:
        fitted.set_params(threshold="auto")


def test_label_scores_pipeline_and_dataframe(multilabel_data):
    """Check that a Pipeline and a DataFrame y give the column names as ticks."""
    pd = pytest.importorskip("pandas")
    X, Y = multilabel_data
    Y = pd.DataFrame(Y, columns=["sport", "tech", "food"])
    pipe = make_pipeline(StandardScaler(), _small_classifier()).fit(X, Y)
    fig, ax = plt.subplots()
    display = LabelScoresDisplay.from_estimator(pipe, X, Y, ax=ax)
    assert display.ax_ is ax and display.figure_ is fig
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [f"{name} ({n})" for name, n in Y.sum(axis=0).items()]
    np.testing.assert_allclose(
        display.f1, f1_score(Y, pipe.predict(X), average=None, zero_division=0)
    )
    np.testing.assert_allclose(display.thresholds, [0.5, 0.5, 0.5])
    assert TrainingCurveDisplay.from_estimator(pipe).names_ == ["loss"]


def test_label_scores_from_predictions():
    """Check from_predictions on indicator and 1-D targets, with no thresholds."""
    y_true = np.array([[1, 0], [1, 1], [0, 1], [1, 0]])
    y_pred = np.array([[1, 0], [0, 1], [0, 1], [1, 1]])
    display = LabelScoresDisplay.from_predictions(y_true, y_pred)
    np.testing.assert_allclose(display.f1, f1_score(y_true, y_pred, average=None))
    assert display.threshold_markers_ is None and display.threshold_ax_ is None
    y_true, y_pred = ["a", "b", "c", "a"], ["a", "b", "b", "a"]
    display = LabelScoresDisplay.from_predictions(y_true, y_pred, thresholds=0.5)
    np.testing.assert_allclose(
        display.f1, f1_score(y_true, y_pred, average=None, zero_division=0)
    )
    np.testing.assert_array_equal(display.support, [2, 1, 1])
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert ticks == ["a (2)", "b (1)", "c (1)"]
    np.testing.assert_allclose(display.thresholds, [0.5, 0.5, 0.5])


def test_label_scores_wrong_threshold_count():
    """Check that thresholds of the wrong length are refused, naming the counts."""
    with pytest.raises(ValueError, match=r"has shape \(3,\) but there are 2"):
        LabelScoresDisplay.from_predictions(
            [[1, 0], [0, 1]], [[1, 0], [0, 1]], thresholds=[0.1, 0.2, 0.3]
        )


def test_label_scores_binary_target():
    """Check that a binary target's threshold is drawn at its second class only."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = np.where(X[:, 0] > 0, "yes", "no")
    clf = _small_classifier(threshold=0.4).fit(X, y)
    display = LabelScoresDisplay.from_estimator(clf, X, y)
    np.testing.assert_allclose(
        display.f1, f1_score(y, clf.predict(X), average=None, labels=clf.classes_)
    )
    np.testing.assert_allclose(display.thresholds, [np.nan, 0.4])


@pytest.mark.parametrize("display_class", [TrainingCurveDisplay, LabelScoresDisplay])
def test_unfitted_estimator(multilabel_data, display_class):
    """Check that an unfitted estimator or Pipeline raises NotFittedError."""
    X, Y = multilabel_data
    args = () if display_class is TrainingCurveDisplay else (X, Y)
    for estimator in (_small_classifier(), make_pipeline(_small_classifier())):
        with pytest.raises(NotFittedError, match="not fitted"):
            display_class.from_estimator(estimator, *args)


def test_missing_matplotlib(monkeypatch, fitted):
    """Check that plotting without matplotlib says how to install it."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        TrainingCurveDisplay.from_estimator(fitted)
    with pytest.raises(ImportError, match="LabelScoresDisplay.plot requires"):
        LabelScoresDisplay([0.5], [1]).plot()


def _markers_agree_with_predict(display, clf, X):
    """Whether every prediction is what the drawn thresholds alone decide."""
    return np.array_equal(clf.predict_proba(X) >= display.thresholds, clf.predict(X))


@pytest.mark.parametrize(
    "params",
    [
        dict(decision="label_set", threshold=[0.1, 0.5, 0.9]),
        dict(decision="label_set", threshold="auto", threshold_cv=2),
    ],
)
def test_label_scores_of_label_set_decision_draw_no_thresholds(multilabel_data, params):
    """Check that a label-set decision is shown as such, with no threshold markers."""
    X, Y = multilabel_data
    clf = _small_classifier(**params).fit(X, Y)
    display = LabelScoresDisplay.from_estimator(clf, X, Y)
    assert display.thresholds is None and display.threshold_markers_ is None
    assert "label set" in display.decision
    assert "label set" in display.ax_.get_title()
    np.testing.assert_allclose(
        display.f1, f1_score(Y, clf.predict(X), average=None, zero_division=0)
    )
    # the same estimator deciding by threshold: the markers are predict's cuts
    clf.set_params(decision="threshold")
    display = LabelScoresDisplay.from_estimator(clf, X, Y)
    assert _markers_agree_with_predict(display, clf, X)


def test_label_scores_say_when_at_least_one_label_applies(multilabel_data):
    """Check that the caption says labels below their threshold may be switched on."""
    X, Y = multilabel_data
    clf = _small_classifier(threshold=0.99, at_least_one_label=True).fit(X, Y)
    display = LabelScoresDisplay.from_estimator(clf, X, Y)
    np.testing.assert_allclose(display.thresholds, 0.99)
    assert not _markers_agree_with_predict(display, clf, X)
    assert "most probable label" in display.ax_.get_title()
    clf.set_params(at_least_one_label=False)
    display = LabelScoresDisplay.from_estimator(clf, X, Y)
    assert _markers_agree_with_predict(display, clf, X)


@pytest.mark.parametrize(
    "thresholds, message",
    [
        ("auto", "thresholds must be a float in \\[0, 1\\].*got 'auto'"),
        ([0.5, 2.0, np.nan], "got 2.0 for the label at index 1"),
        (-0.1, "got -0.1 for the label at index 0"),
        ([[0.5, 0.5, 0.5]], "has shape \\(1, 3\\)"),
    ],
)
def test_label_scores_thresholds_checked(thresholds, message):
    """Check that from_predictions refuses thresholds that are not cuts in [0, 1]."""
    y = np.array([[1, 0, 1], [0, 1, 1]])
    with pytest.raises(ValueError, match=message):
        LabelScoresDisplay.from_predictions(y, y, thresholds=thresholds)


def test_label_scores_nan_threshold_means_none():
    """Check that NaN stays allowed: a label without a threshold."""
    y = np.array([[1, 0, 1], [0, 1, 1]])
    display = LabelScoresDisplay.from_predictions(y, y, thresholds=[0.5, np.nan, 1.0])
    np.testing.assert_array_equal(np.isnan(display.thresholds), [False, True, False])


@pytest.mark.parametrize(
    "history, message",
    [
        ({}, "history must be a non-empty dict"),
        ([1, 2], "history must be a non-empty dict"),
        ({"loss": "abc"}, r"history\['loss'\] must be a list of numbers"),
        ({"loss": [[1, 2], [3, 4]]}, r"history\['loss'\] must be a list of numbers"),
    ],
)
def test_training_curves_history_checked(history, message):
    """Check that plot refuses a history it cannot draw, naming what is wrong."""
    with pytest.raises(ValueError, match=message):
        TrainingCurveDisplay(history).plot()

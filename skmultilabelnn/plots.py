"""Plots of a fitted classifier, in scikit-learn's Display style.

:class:`TrainingCurveDisplay` draws the loss and metrics recorded in
``history_`` per epoch; :class:`LabelScoresDisplay` draws each label's F1,
support and decision threshold. Each has ``from_estimator`` (also for a
:class:`~sklearn.pipeline.Pipeline` ending in the classifier) and ``plot``,
which sets ``ax_`` and ``figure_``. matplotlib is imported only when a plot
is drawn; importing this module imports neither matplotlib nor Keras.
"""

import numbers
from textwrap import fill

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import check_is_fitted

__all__ = ["LabelScoresDisplay", "TrainingCurveDisplay"]

_VALIDATION_PREFIX = "val_"


def _pyplot(caller):
    """matplotlib.pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib; install it with `pip install matplotlib`."
        ) from error
    return plt


def _fitted_classifier(estimator):
    """The fitted classifier itself, or the last step of a fitted Pipeline."""
    classifier = estimator[-1] if isinstance(estimator, Pipeline) else estimator
    check_is_fitted(classifier)
    return classifier


def _check_thresholds(thresholds, n_labels):
    """``thresholds`` as a new float array of one value per label.

    Values lie in [0, 1]; NaN marks a label without a threshold.
    """
    expected = (
        "a float in [0, 1] or an array-like of one per label (NaN where none applies)"
    )
    is_number = isinstance(thresholds, numbers.Real) and not isinstance(
        thresholds, bool
    )
    try:
        values = (
            None
            if isinstance(thresholds, (str, bytes, bool))
            else np.asarray(thresholds)
        )
    except ValueError:  # ragged nested sequences
        values = None
    if not is_number and (values is None or values.dtype.kind not in "iuf"):
        raise ValueError(f"thresholds must be {expected}; got {thresholds!r}.")
    values = np.asarray(thresholds, dtype=float)
    if values.ndim == 0:
        values = np.full(n_labels, float(values))
    if values.shape != (n_labels,):
        raise ValueError(
            f"thresholds has shape {values.shape} but there are {n_labels} labels; "
            "give one value per label, or one float for all."
        )
    outside = ~np.isnan(values) & ~((values >= 0) & (values <= 1))
    if outside.any():
        index = int(np.flatnonzero(outside)[0])
        raise ValueError(
            f"thresholds must be {expected}; got {float(values[index])!r} for the "
            f"label at index {index}."
        )
    return values.copy()


class TrainingCurveDisplay:
    """Training curves: the loss and each metric per epoch, with validation.

    One panel per quantity: the loss first, then every metric in the order
    of ``history``; each panel shows the training curve and, when
    ``history`` has it, the ``val_`` curve. Create it with
    :meth:`from_estimator`, or from a ``history_``-like dict.

    Parameters
    ----------
    history : dict of str to list of float
        Values per epoch, keyed as Keras records them (``"loss"``,
        ``"val_loss"``, a metric's name and its ``val_`` twin), such as a
        fitted :class:`KerasMultilabelClassifier`'s ``history_``.

    Attributes
    ----------
    ax_ : ndarray of matplotlib Axes of shape (n_panels,)
        One Axes per quantity plotted, in the order of ``names_``.

    figure_ : matplotlib Figure
        Figure holding the panels.

    lines_ : dict of str to matplotlib Line2D
        The curve of each plotted ``history`` key (``"loss"``,
        ``"val_loss"``, ...).

    names_ : list of str
        The quantity of each panel (keys of ``history`` without ``val_``).

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against the
        number of training samples.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabelnn import KerasMultilabelClassifier
    >>> from skmultilabelnn.plots import TrainingCurveDisplay
    >>> X, y = make_multilabel_classification(n_classes=3, random_state=0)
    >>> clf = KerasMultilabelClassifier(hidden_layer_sizes=(8,), epochs=4,
    ...                                 validation_split=0.2, random_state=0)
    >>> display = TrainingCurveDisplay.from_estimator(clf.fit(X, y))
    >>> sorted(display.lines_)
    ['loss', 'val_loss', 'val_roc_auc']
    >>> display.lines_["loss"].get_xdata().tolist()
    [1, 2, 3, 4]
    """

    def __init__(self, history):
        self.history = history

    def plot(self, ax=None, *, names=None, line_kw=None):
        """Plot the curves.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            One Axes per panel (a single Axes when there is one panel). None
            creates a figure with the panels side by side.

        names : list of str, default=None
            Quantities to plot (keys of ``history`` without ``val_``). None
            plots the loss and every metric.

        line_kw : dict, default=None
            Keyword arguments passed to every ``Axes.plot`` call.

        Returns
        -------
        display : TrainingCurveDisplay
            This object, with the attributes set.
        """
        plt = _pyplot(f"{type(self).__name__}.plot")
        names = self._check_names(names)
        if ax is None:
            _, ax = plt.subplots(
                1, len(names), figsize=(4.5 * len(names), 3.6), squeeze=False
            )
        axes = np.asarray(ax, dtype=object).ravel()
        if axes.shape[0] != len(names):
            raise ValueError(
                f"ax has {axes.shape[0]} Axes but there are {len(names)} panels "
                f"to draw ({', '.join(names)}); pass one Axes per panel."
            )
        self.lines_ = {}
        for panel, name in zip(axes, names, strict=True):
            curves = {name: "Train", _VALIDATION_PREFIX + name: "Validation"}
            n_epochs = max(len(self.history.get(key, ())) for key in curves)
            for key, label in curves.items():
                values = np.asarray(self.history.get(key, ()), dtype=float)
                if values.size == 0:
                    continue
                # a curve shorter than the others covers the last epochs
                epochs = np.arange(n_epochs - values.size + 1, n_epochs + 1)
                (self.lines_[key],) = panel.plot(
                    epochs, values, label=label, **(line_kw or {})
                )
            panel.set(xlabel="Epoch", ylabel=name, title=name)
            panel.legend()
        self.names_ = names
        self.ax_ = axes
        self.figure_ = axes[0].figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, names=None, ax=None, line_kw=None):
        """Plot the training curves of a fitted estimator's ``history_``.

        Parameters
        ----------
        estimator : estimator instance
            A fitted :class:`KerasMultilabelClassifier`, or a fitted
            :class:`~sklearn.pipeline.Pipeline` ending in one.

        names : list of str, default=None
            Quantities to plot; None plots the loss and every metric.

        ax : matplotlib Axes or array-like of Axes, default=None
            One Axes per panel; None creates them.

        line_kw : dict, default=None
            Keyword arguments passed to every ``Axes.plot`` call.

        Returns
        -------
        display : TrainingCurveDisplay
            The display, plotted.
        """
        _pyplot(f"{cls.__name__}.from_estimator")
        classifier = _fitted_classifier(estimator)
        history = getattr(classifier, "history_", None)
        if not history:
            raise ValueError(
                f"{type(classifier).__name__} has no training history (history_ "
                f"is {history!r}); fit it for at least one epoch."
            )
        return cls(dict(history)).plot(ax=ax, names=names, line_kw=line_kw)

    def _check_names(self, names):
        _check_history(self.history)
        available = list(
            dict.fromkeys(key.removeprefix(_VALIDATION_PREFIX) for key in self.history)
        )
        if names is None:
            # the loss first, then the metrics as recorded
            return sorted(available, key=lambda name: name != "loss")
        names = [names] if isinstance(names, str) else list(names)
        unknown = [name for name in names if name not in available]
        if unknown or not names:
            raise ValueError(
                f"names must be among the quantities of the history, {available}; "
                f"got {names!r}."
            )
        return names


def _check_history(history):
    """A history is a non-empty mapping of names to sequences of numbers."""
    if not hasattr(history, "items") or not history:
        raise ValueError(
            "history must be a non-empty dict of str to lists of numbers, one per "
            "epoch (such as a fitted KerasMultilabelClassifier's history_); got "
            f"{history!r}."
        )
    for name, values in history.items():
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 1:
            raise ValueError(
                f"history[{name!r}] must be a list of numbers, one per epoch; got "
                f"{values!r}."
            )


class LabelScoresDisplay:
    """Per-label scores: F1 as bars, support, and each label's threshold.

    For each label (or class) a bar of its F1 score, its support (the
    number of true samples) in brackets after its name, and, when known,
    the decision threshold in use drawn as a marker on a second y-axis. Create it with
    :meth:`from_estimator` or :meth:`from_predictions`.

    Parameters
    ----------
    f1 : ndarray of shape (n_labels,)
        F1 score of each label.

    support : ndarray of shape (n_labels,)
        Number of true samples of each label.

    thresholds : ndarray of shape (n_labels,) or None, default=None
        Decision threshold of each label (NaN where none applies); None
        draws no markers.

    display_labels : array-like of shape (n_labels,) or None, default=None
        Label names; None uses ``0 .. n_labels - 1``.

    decision : str or None, default=None
        How the predictions were decided, in words, shown under the title
        (``from_estimator`` gives the classifier's rule: for example that
        ``decision="label_set"`` uses no per-label threshold).

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        The F1 bars.

    threshold_markers_ : matplotlib Line2D or None
        The threshold markers; None without thresholds.

    threshold_ax_ : matplotlib Axes or None
        The second y-axis of the thresholds; None without thresholds.

    ax_ : matplotlib Axes
        Axes of the bars.

    figure_ : matplotlib Figure
        Figure holding the plot.

    See Also
    --------
    sklearn.metrics.f1_score : The scores, with ``average=None``.
    sklearn.metrics.ConfusionMatrixDisplay : The confusion matrix of a
        classifier.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabelnn import KerasMultilabelClassifier
    >>> from skmultilabelnn.plots import LabelScoresDisplay
    >>> X, y = make_multilabel_classification(n_classes=3, random_state=0)
    >>> clf = KerasMultilabelClassifier(hidden_layer_sizes=(8,), epochs=4,
    ...                                 threshold=[0.3, 0.5, 0.7], random_state=0)
    >>> display = LabelScoresDisplay.from_estimator(clf.fit(X, y), X, y)
    >>> len(display.bars_), display.support.tolist()
    (3, [52, 68, 53])
    >>> display.thresholds.tolist()
    [0.3, 0.5, 0.7]
    """

    def __init__(
        self, f1, support, *, thresholds=None, display_labels=None, decision=None
    ):
        self.f1 = f1
        self.support = support
        self.thresholds = thresholds
        self.display_labels = display_labels
        self.decision = decision

    def plot(self, ax=None, *, xticks_rotation=45, bar_kw=None, marker_kw=None):
        """Plot the scores.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw the bars on; the thresholds get a twin Axes of it.
            None creates a new figure.

        xticks_rotation : float or {"vertical", "horizontal"}, default=45
            Rotation of the label names.

        bar_kw : dict, default=None
            Keyword arguments passed to ``Axes.bar``.

        marker_kw : dict, default=None
            Keyword arguments passed to the ``Axes.plot`` call of the
            threshold markers.

        Returns
        -------
        display : LabelScoresDisplay
            This object, with the attributes set.
        """
        plt = _pyplot(f"{type(self).__name__}.plot")
        f1 = np.asarray(self.f1, dtype=float)
        n_labels = f1.shape[0]
        if ax is None:
            _, ax = plt.subplots(figsize=(max(5.0, 0.55 * n_labels + 2), 4))
        positions = np.arange(n_labels)
        names = positions if self.display_labels is None else list(self.display_labels)
        self.bars_ = ax.bar(positions, f1, label="F1", **(bar_kw or {}))
        # the support in the tick labels, where no marker can hide it
        support = np.asarray(self.support)
        ticks = [f"{name} ({int(n)})" for name, n in zip(names, support, strict=True)]
        ax.set_xticks(positions, ticks)
        slanted = xticks_rotation not in ("horizontal", "vertical", 0, 90)
        plt.setp(
            ax.get_xticklabels(),
            rotation=xticks_rotation,
            ha="right" if slanted else "center",
        )
        ax.set(ylim=(0, 1.15), ylabel="F1", xlabel="Label (support)")
        handles = [self.bars_]
        self.threshold_ax_ = self.threshold_markers_ = None
        if self.thresholds is not None:
            self.threshold_ax_ = ax.twinx()
            # a short horizontal stroke across each bar: the label's cut-off
            style = {
                "marker": "_",
                "markersize": 18,
                "markeredgewidth": 2.5,
                "linestyle": "none",
                "color": "C3",
            }
            (self.threshold_markers_,) = self.threshold_ax_.plot(
                positions,
                np.asarray(self.thresholds, dtype=float),
                label="Threshold",
                **{**style, **(marker_kw or {})},
            )
            self.threshold_ax_.set(ylim=(0, 1.15), ylabel="Threshold")
            handles.append(self.threshold_markers_)
        ax.legend(handles=handles, loc="upper right", ncols=2, fontsize="small")
        title = "F1 per label"
        if self.decision:
            title += "\n" + fill(self.decision, 60)
        ax.set_title(title, **({"fontsize": "medium"} if self.decision else {}))
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_pred,
        *,
        thresholds=None,
        labels=None,
        display_labels=None,
        decision=None,
        ax=None,
        xticks_rotation=45,
        bar_kw=None,
        marker_kw=None,
    ):
        """Plot per-label scores from true and predicted labels.

        Parameters
        ----------
        y_true : array-like or sparse matrix of shape (n_samples, n_labels) \
                or (n_samples,)
            True 0/1 label indicator matrix, or 1-D class labels.

        y_pred : array-like or sparse matrix of the shape of ``y_true``
            Predicted labels.

        thresholds : float, array-like of shape (n_labels,) or None, \
                default=None
            Decision threshold of each label (a float for all), drawn as
            markers; None draws none.

        labels : array-like of shape (n_classes,), default=None
            For a 1-D ``y_true``, the classes to score, in order; None uses
            those of ``y_true`` and ``y_pred``, sorted. Ignored for an
            indicator matrix.

        display_labels : array-like of shape (n_labels,), default=None
            Label names; None uses the columns of a DataFrame ``y_true``,
            ``labels`` for a 1-D target, otherwise ``0 .. n_labels - 1``.

        decision : str, default=None
            How ``y_pred`` was decided, in words, shown under the title.

        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure.

        xticks_rotation : float or {"vertical", "horizontal"}, default=45
            Rotation of the label names.

        bar_kw, marker_kw : dict, default=None
            Keyword arguments for the bars and the threshold markers.

        Returns
        -------
        display : LabelScoresDisplay
            The display, plotted.
        """
        _pyplot(f"{cls.__name__}.from_predictions")
        if display_labels is None and hasattr(y_true, "columns"):
            display_labels = list(y_true.columns)
        if type_of_target(y_true) == "multilabel-indicator":
            y_matrix = y_true if sp.issparse(y_true) else np.asarray(y_true)
            support = np.asarray(y_matrix.sum(axis=0)).ravel()
            f1 = f1_score(y_true, y_pred, average=None, zero_division=0)
        else:
            y_true = np.asarray(y_true).ravel()
            labels = unique_labels(y_true, y_pred) if labels is None else labels
            support = np.array([np.sum(y_true == label) for label in labels])
            f1 = f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
            if display_labels is None:
                display_labels = list(labels)
        if thresholds is not None:
            thresholds = _check_thresholds(thresholds, f1.shape[0])
        display = cls(
            f1,
            support,
            thresholds=thresholds,
            display_labels=display_labels,
            decision=decision,
        )
        return display.plot(
            ax=ax, xticks_rotation=xticks_rotation, bar_kw=bar_kw, marker_kw=marker_kw
        )

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        display_labels=None,
        ax=None,
        xticks_rotation=45,
        bar_kw=None,
        marker_kw=None,
    ):
        """Plot per-label scores of a fitted classifier on ``(X, y)``.

        The markers and the caption show the decision ``predict`` makes, as
        the classifier's own decision rule gives it: the threshold of each
        label (``thresholds_`` with ``threshold="auto"``), noting when a
        sample with no label above its threshold gets its most probable one
        (``at_least_one_label=True``); no markers, and a caption that says
        so, when the decision is not a threshold (``decision="label_set"``, a
        softmax output). For a binary target the threshold is drawn at the
        second class. A classifier without such a rule gets no markers.

        Parameters
        ----------
        estimator : estimator instance
            A fitted :class:`KerasMultilabelClassifier` (or another fitted
            classifier with ``classes_``), or a fitted
            :class:`~sklearn.pipeline.Pipeline` ending in one.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        y : array-like, sparse matrix or DataFrame of shape \
                (n_samples, n_labels) or (n_samples,)
            True labels, as given to ``fit``.

        display_labels : array-like of shape (n_labels,), default=None
            Label names; None uses the classifier's ``classes_``.

        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure.

        xticks_rotation : float or {"vertical", "horizontal"}, default=45
            Rotation of the label names.

        bar_kw, marker_kw : dict, default=None
            Keyword arguments for the bars and the threshold markers.

        Returns
        -------
        display : LabelScoresDisplay
            The display, plotted.
        """
        _pyplot(f"{cls.__name__}.from_estimator")
        classifier = _fitted_classifier(estimator)
        classes = getattr(classifier, "classes_", None)
        one_dimensional = type_of_target(y) != "multilabel-indicator"
        thresholds, decision = _decision_shown(classifier)
        return cls.from_predictions(
            y,
            estimator.predict(X),
            thresholds=thresholds,
            decision=decision,
            labels=classes if one_dimensional else None,
            display_labels=classes if display_labels is None else display_labels,
            ax=ax,
            xticks_rotation=xticks_rotation,
            bar_kw=bar_kw,
            marker_kw=marker_kw,
        )


def _decision_shown(classifier):
    """The thresholds to draw and the caption of the rule ``predict`` applies.

    ``(None, None)`` for a classifier without a decision rule of this package.
    """
    decision_rule = getattr(classifier, "_decision_rule", None)
    if decision_rule is None:
        return None, None
    rule = decision_rule()
    thresholds = rule.shown_thresholds()
    classes = getattr(classifier, "classes_", ())
    if thresholds is not None and thresholds.shape[0] == 1 and len(classes) == 2:
        # a binary target: one output, the probability of classes_[1]
        thresholds = np.array([np.nan, thresholds[0]])
    return thresholds, rule.summary

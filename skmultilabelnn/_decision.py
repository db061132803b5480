"""The one rule that turns predicted probabilities into decisions (NumPy only).

:class:`DecisionRule` is what ``predict`` applies: per-label thresholds (with
an optional "at least one label" fallback), the most probable label set seen
in training, each sample's ``k`` most probable labels, or the most probable
class of a softmax output.
:class:`KerasMultilabelClassifier`, :class:`MultilabelThresholdTuner` and
``LabelScoresDisplay`` all build one and call it; nothing else decides.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ._label_sets import most_probable_label_sets
from ._ranking import top_k

#: The kinds of decision a rule makes.
DECISION_KINDS = ("threshold", "label_set", "top_k", "most_probable_class")


@dataclass(frozen=True)
class DecisionRule:
    """How scores become 0/1 decisions, one row per sample.

    Parameters
    ----------
    kind : {"threshold", "label_set", "top_k", "most_probable_class"}
        ``"threshold"``: a label is on when its score is at least its
        threshold. ``"label_set"``: each sample gets the most probable of
        ``label_sets``. ``"top_k"``: each sample gets its ``k`` highest
        scores (ties to the lower column). ``"most_probable_class"``:
        one-hot of the highest score (a softmax output).
    thresholds : float or ndarray of shape (n_labels,) or None, default=None
        The cut of each label (``kind="threshold"``), as returned by
        :func:`check_threshold`.
    label_sets : ndarray of shape (n_sets, n_labels) or None, default=None
        The candidate sets of ``kind="label_set"``.
    at_least_one_label : bool, default=False
        With ``kind="threshold"``, a sample with no label on gets its
        highest-scoring label.
    k : int or None, default=None
        The number of labels of ``kind="top_k"``, at most the number of
        labels.

    Examples
    --------
    >>> import numpy as np
    >>> rule = DecisionRule("threshold", thresholds=np.array([0.3, 0.9]),
    ...                     at_least_one_label=True)
    >>> rule.decide(np.array([[0.4, 0.5], [0.1, 0.2]]))
    array([[1, 0],
           [0, 1]])
    """

    kind: str
    thresholds: object = None
    label_sets: np.ndarray = None
    at_least_one_label: bool = False
    k: int = None

    def __post_init__(self):
        if self.kind not in DECISION_KINDS:
            raise ValueError(
                f"kind must be one of {DECISION_KINDS}; got {self.kind!r}."
            )
        if self.kind == "threshold" and self.thresholds is None:
            raise ValueError('A rule of kind "threshold" needs thresholds.')
        if self.kind == "label_set" and self.label_sets is None:
            raise ValueError('A rule of kind "label_set" needs label_sets.')
        if self.kind == "top_k" and self.k is None:
            raise ValueError('A rule of kind "top_k" needs k.')

    def decide(self, scores):
        """The 0/1 decisions for ``scores``.

        Parameters
        ----------
        scores : ndarray of shape (n_samples, n_labels)
            Probabilities (or decision scores) of each label; not modified.

        Returns
        -------
        indicator : ndarray of shape (n_samples, n_labels), dtype int64
            A new array.
        """
        scores = np.asarray(scores)
        if self.kind == "most_probable_class":
            indicator = np.zeros(scores.shape, dtype=np.int64)
            indicator[np.arange(scores.shape[0]), np.argmax(scores, axis=1)] = 1
            return indicator
        if self.kind == "label_set":
            return most_probable_label_sets(scores, self.label_sets)
        if self.kind == "top_k":
            indicator = np.zeros(scores.shape, dtype=np.int64)
            np.put_along_axis(indicator, top_k(scores, self.k).indices, 1, axis=1)
            return indicator
        indicator = apply_threshold(scores, self.thresholds)
        if self.at_least_one_label:
            ensure_one_label(indicator, scores)
        return indicator

    def shown_thresholds(self):
        """Each label's threshold, when thresholds decide; else None.

        A plot may draw these as the cut of each label: with
        ``at_least_one_label`` they still are, but a sample with no label
        above its threshold also gets its top label (see :attr:`summary`).

        Returns
        -------
        thresholds : ndarray of shape (n_thresholds,) or None
            A new array (one value for a single shared threshold).
        """
        if self.kind != "threshold":
            return None
        return np.atleast_1d(np.asarray(self.thresholds, dtype=float)).copy()

    @property
    def summary(self):
        """The decision in words, for a plot's caption; None for plain thresholds."""
        if self.kind == "label_set":
            return (
                "predict: each sample's most probable label set seen in "
                "training (not a per-label threshold)"
            )
        if self.kind == "most_probable_class":
            return "predict: the most probable class (no threshold)"
        if self.kind == "top_k":
            return (
                f"predict: each sample's {self.k} most probable labels (no threshold)"
            )
        if self.at_least_one_label:
            return (
                "predict: each label's threshold; a sample with none above "
                "gets its most probable label"
            )
        return None


def check_threshold(threshold, n_labels):
    """Validate a decision threshold against the number of labels.

    Parameters
    ----------
    threshold : float or array-like of shape (n_labels,)
        One cut-off for every label, or one per label. Values are real
        numbers in [0, 1]; bools, strings and None are refused.
    n_labels : int
        Number of label columns the model predicts.

    Returns
    -------
    threshold : float or ndarray of shape (n_labels,)
        A float for a scalar threshold, otherwise a new float64 array.

    Raises
    ------
    ValueError
        If ``threshold`` is not a real number or an array-like of them, a
        value lies outside [0, 1] or the number of values is not ``n_labels``.
    """
    if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool):
        _check_range(np.asarray([threshold], dtype=np.float64), scalar=True)
        return float(threshold)
    try:
        # strings and None would be read as numbers by np.array(..., float)
        values = None if isinstance(threshold, str | bytes) else np.asarray(threshold)
    except ValueError:  # ragged nested sequences
        values = None
    if values is None or values.dtype.kind not in "iuf":
        raise ValueError(
            "threshold must be a float in [0, 1], an array-like with one float per "
            f'label, or "auto"; got {threshold!r}.'
        )
    values = values.astype(np.float64)  # always a copy
    if values.ndim == 0:
        _check_range(values.reshape(1), scalar=True)
        return float(values)
    if values.ndim != 1:
        raise ValueError(
            f"threshold must be a float or a 1-D array-like with one value per "
            f"label; got an array of shape {values.shape}."
        )
    if values.shape[0] != n_labels:
        raise ValueError(
            f"threshold has {values.shape[0]} values but the model predicts "
            f"{n_labels} labels."
        )
    _check_range(values, scalar=False)
    return values


def _check_range(values, *, scalar):
    bad = ~((values >= 0.0) & (values <= 1.0))  # also catches NaN
    if not bad.any():
        return
    if scalar:
        raise ValueError(f"threshold must be in [0, 1]; got {float(values[0])!r}.")
    index = int(np.flatnonzero(bad)[0])
    raise ValueError(
        f"threshold values must be in [0, 1]; got {float(values[index])!r} for the "
        f"label at index {index}."
    )


def apply_threshold(proba, threshold):
    """Turn probabilities into a 0/1 indicator matrix.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_labels)
        Probability of each label.
    threshold : float or ndarray of shape (n_labels,)
        A label is predicted when its probability is greater than or equal
        to its threshold, as returned by :func:`check_threshold`.

    Returns
    -------
    indicator : ndarray of shape (n_samples, n_labels), dtype int64
        A new array; ``proba`` is not modified.
    """
    return (np.asarray(proba) >= threshold).astype(np.int64)


def ensure_one_label(indicator, scores):
    """Switch on the top-scoring label of every row that has none.

    Parameters
    ----------
    indicator : ndarray of shape (n_samples, n_labels)
        0/1 predictions; modified in place and returned.
    scores : ndarray of shape (n_samples, n_labels)
        Probabilities or decision scores the predictions come from.

    Returns
    -------
    indicator : ndarray of shape (n_samples, n_labels)
    """
    empty = ~indicator.any(axis=1)
    if empty.any():
        indicator[empty, np.argmax(scores[empty], axis=1)] = 1
    return indicator

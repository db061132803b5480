"""Checking and applying decision thresholds on predicted probabilities (NumPy only)."""

import numbers

import numpy as np


def check_threshold(threshold, n_labels):
    """Validate a decision threshold against the number of labels.

    Parameters
    ----------
    threshold : float or array-like of shape (n_labels,)
        One cut-off for every label, or one per label. Values lie in [0, 1].
    n_labels : int
        Number of label columns the model predicts.

    Returns
    -------
    threshold : float or ndarray of shape (n_labels,)
        A float for a scalar threshold, otherwise a new float64 array.

    Raises
    ------
    ValueError
        If a value lies outside [0, 1] or the number of values is not
        ``n_labels``.
    """
    if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool):
        _check_range(np.asarray([threshold], dtype=np.float64), scalar=True)
        return float(threshold)
    try:
        values = np.array(threshold, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"threshold must be a float in [0, 1] or an array-like of floats with "
            f"one value per label; got {threshold!r}."
        ) from None
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

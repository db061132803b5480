"""Fitting, timing and scoring one estimator, with progress lines on stderr."""

import sys
import time
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skmultilabelnn.metrics import multilabel_scores


@contextmanager
def progress(step, n_steps, label):
    """Print ``[step/n_steps] label ...`` on stderr, then the seconds it took."""
    print(f"[{step}/{n_steps}] {label} ...", end="", file=sys.stderr, flush=True)
    start = time.perf_counter()
    yield
    print(f" {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)


@contextmanager
def quiet_convergence():
    """Silence ConvergenceWarning: the epoch and iteration caps are deliberate.

    MLPClassifier warns when it stops at ``max_iter`` and LinearSVC when its
    solver stops at its iteration cap for a large C; the scores show where
    they got to. One-vs-rest warns of labels absent from a training fold.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # one-vs-rest on the text sets: some labels never occur in a fold
        warnings.filterwarnings("ignore", "Label not .* is present", UserWarning)
        yield


def fit_and_score(estimator, X_train, y_train, X_test, y_test):
    """Fit ``estimator``, predict the test part, and score the prediction.

    Returns
    -------
    scores : dict of str to float
        The metrics of :func:`skmultilabelnn.metrics.multilabel_scores`, plus
        ``fit_s`` and ``predict_s``: wall-clock seconds of the whole ``fit``
        (a grid search included) and of ``predict``.
    y_pred : ndarray of shape (n_test, n_labels)
        The predicted indicator matrix.
    """
    with quiet_convergence():
        start = time.perf_counter()
        estimator.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = np.asarray(estimator.predict(X_test))
    predict_s = time.perf_counter() - start
    scores = {**multilabel_scores(y_test, y_pred), "fit_s": fit_s}
    scores["predict_s"] = predict_s
    return scores, y_pred


def fit_or_reuse(split, fitted, method, estimator=None, reuse=None):
    """Score ``method`` on ``split``: a new fit, or a fitted estimator read otherwise.

    Parameters
    ----------
    split : Split
        The dataset's training and test parts.
    fitted : dict
        ``method -> (estimator, scores)`` of the methods fitted on ``split``
        so far; a new fit is added to it.
    method : str
        The method's name.
    estimator : estimator object or None
        The unfitted estimator to fit and score (None with ``reuse``).
    reuse : tuple or None
        ``(fitted method, network_of, params)``: score that method's fitted
        estimator with ``params`` set, for this prediction only, on
        ``network_of(estimator)`` (its classifier); nothing is refitted and
        the fit seconds are the fitted method's.

    Returns
    -------
    estimator : estimator object
    scores : dict of str to float
    """
    if reuse is None:
        scores, _ = fit_and_score(
            estimator, split.X_train, split.y_train, split.X_test, split.y_test
        )
        fitted[method] = estimator, scores
        return estimator, scores
    base, network_of, params = reuse
    estimator, base_scores = fitted[base]
    network = network_of(estimator)
    before = {name: network.get_params()[name] for name in params}
    network.set_params(**params)
    try:
        start = time.perf_counter()
        y_pred = np.asarray(estimator.predict(split.X_test))
        predict_s = time.perf_counter() - start
    finally:
        network.set_params(**before)
    scores = {**multilabel_scores(split.y_test, y_pred), "predict_s": predict_s}
    return estimator, {**scores, "fit_s": base_scores["fit_s"]}

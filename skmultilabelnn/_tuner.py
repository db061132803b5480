"""MultilabelThresholdTuner: per-label thresholds for any multilabel classifier."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils import check_array, get_tags, indexable
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

# _estimator_has is private, with no public equivalent: the helper with which
# scikit-learn's TunedThresholdClassifierCV hides the methods its estimator lacks.
from ._compat._sklearn import (
    HasMethods,
    StrOptions,
    _check_method_params,
    _estimator_has,
    _fit_context,
    _safe_indexing,
)
from ._decision import DecisionRule
from ._out_of_fold import out_of_fold_scores
from ._rows import multilabel_folds
from ._target import check_indicator_values, check_not_label_sets
from ._thresholds import THRESHOLD_METRICS, learn_thresholds


def _check_target(y):
    """y as an array; a column vector becomes 1-D, with sklearn's warning.

    Label sets and 2-D targets of other values than 0/1 are refused with the
    errors of :class:`KerasMultilabelClassifier`.
    """
    check_not_label_sets(y)
    y = y if hasattr(y, "shape") else np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    y = np.asarray(y)
    if y.ndim == 2:
        check_indicator_values(y)
    return y


def _check_X(X):
    """Sparse X as CSR or CSC, which every fold can slice; other X as given."""
    if sp.issparse(X):
        return check_array(
            X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False
        )
    return X


def _label_scores(scores, target_type):
    """Scores as an (n_samples, n_labels) array, higher meaning more likely."""
    if isinstance(scores, list):  # one (n_samples, 2) array per label
        return np.column_stack([s[:, 1] for s in scores])
    scores = np.asarray(scores)
    if target_type == "binary":
        return scores[:, 1:2] if scores.ndim == 2 else scores.reshape(-1, 1)
    return scores


class MultilabelThresholdTuner(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Tune one decision threshold per label from out-of-fold scores.

    scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`
    tunes the one threshold of a binary classifier. This meta-estimator does
    it for each label of a multilabel classifier: it computes out-of-fold
    probabilities (or decision scores), each fold's from a clone of
    ``estimator`` fitted on the other folds (as
    :func:`~sklearn.model_selection.cross_val_predict` does), learns the thresholds
    from them with the rule of :class:`KerasMultilabelClassifier`'s
    ``threshold="auto"`` (each label's best threshold for ``scoring``, shrunk
    toward one shared threshold for labels with few positives, then pulled
    back toward the usual cut as far as needed for neither ``scoring`` nor
    micro-F1 to score below it on the out-of-fold scores), then refits
    ``estimator`` on all the data. ``predict`` applies the learned
    ``thresholds_`` to the refitted estimator's scores. The thresholds never
    see scores of rows the scoring model was trained on.

    Parameters
    ----------
    estimator : estimator object
        A classifier of multilabel (indicator) or binary targets with
        ``predict_proba`` or ``decision_function``: for example
        ``OneVsRestClassifier(SVC())``, ``MLPClassifier()`` or
        :class:`KerasMultilabelClassifier`.

    scoring : {"f1", "f1_micro", "f1_samples"}, default="f1"
        ``"f1"`` maximises each label's own F1 (macro-F1); ``"f1_micro"``
        the F1 of all label decisions pooled; ``"f1_samples"`` the mean F1 of
        each sample's predicted label set.

    response_method : {"auto", "predict_proba", "decision_function"}, \
            default="auto"
        Scores to threshold; ``"auto"`` tries ``predict_proba`` first. A label
        with no out-of-fold positive keeps the usual threshold: 0.5 on
        probabilities, 0 on decision scores.

    cv : int, cross-validation generator or iterable, default=5
        Folds of the out-of-fold scores, as in
        :func:`~sklearn.model_selection.cross_val_predict` (the test folds
        must cover every row once); an int splits a multilabel target into
        that many folds that share out each label's positives (iterative
        stratification, ties broken with a fixed seed), and may not exceed
        the number of rows.

    at_least_one_label : bool, default=False
        For a multilabel target, ``predict`` also switches on the top-scoring
        label of any sample that would otherwise get none.

    n_jobs : int or None, default=None
        Folds fitted in parallel.

    Attributes
    ----------
    estimator_ : estimator object
        ``estimator`` refitted on all the data.

    thresholds_ : ndarray of shape (n_labels,)
        The learned thresholds, one per label (one for a binary target, on
        the score of ``classes_[1]``).

    response_method_ : str
        The response method used.

    classes_ : ndarray
        Classes of the refitted estimator.

    n_features_in_ : int
        Number of features seen during ``fit`` (when ``estimator_`` has it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit`` (when ``estimator_`` has them).

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : The binary version.
    KerasMultilabelClassifier : Its ``threshold="auto"`` learns thresholds
        from a held-out part of one fit.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.multiclass import OneVsRestClassifier
    >>> from skmultilabelnn import MultilabelThresholdTuner
    >>> X, y = make_multilabel_classification(n_classes=4, random_state=0)
    >>> tuner = MultilabelThresholdTuner(
    ...     OneVsRestClassifier(LogisticRegression()), cv=3).fit(X, y)
    >>> tuner.thresholds_.shape
    (4,)
    >>> tuner.predict(X[:2]).shape
    (2, 4)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"])],
        "scoring": [StrOptions(set(THRESHOLD_METRICS))],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "cv": ["cv_object"],
        "at_least_one_label": ["boolean"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring="f1",
        response_method="auto",
        cv=5,
        at_least_one_label=False,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.response_method = response_method
        self.cv = cv
        self.at_least_one_label = at_least_one_label
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Learn the thresholds from out-of-fold scores, then refit on all data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples, in any form ``estimator`` accepts; a sparse
            matrix reaches it as CSR (or CSC, if given so).
        y : array-like of shape (n_samples, n_labels) or (n_samples,)
            Label indicator matrix, or a binary target.
        **fit_params : dict
            Passed to ``estimator.fit`` (``sample_weight`` is split across the
            folds).

        Returns
        -------
        self : object
            The fitted tuner.
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y = _check_target(y)
        X = _check_X(X)
        if y.shape[0] == 0:
            raise ValueError("Found an empty y (0 samples); fit needs samples.")
        target_type = type_of_target(y, input_name="y", raise_unknown=True)
        if target_type not in ("binary", "multilabel-indicator"):
            raise ValueError(
                "Only binary classification is supported, besides multilabel "
                f"indicator targets; {type(self).__name__} got a {target_type} "
                "target."
            )
        if target_type == "binary" and np.unique(y).shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes; y "
                f"has 1 class ({np.unique(y)[0]!r})."
            )
        method = self._resolve_response_method()
        # rows of any array-like can be taken (sparse X as CSR), as in sklearn
        X_rows = indexable(X)[0]
        splits = self._splits(X_rows, y, target_type)
        estimator = self.estimator

        def fit_and_score(k, train, test):
            params = _check_method_params(X_rows, params=fit_params, indices=train)
            fold_model = clone(estimator).fit(
                _safe_indexing(X_rows, train), _safe_indexing(y, train), **params
            )
            raw = getattr(fold_model, method)(_safe_indexing(X_rows, test))
            return _label_scores(raw, target_type)

        scores = out_of_fold_scores(
            fit_and_score, splits, y.shape[0], n_jobs=self.n_jobs
        )
        estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        classes = estimator_.classes_
        indicator = (y == classes[1]).reshape(-1, 1) if target_type == "binary" else y
        thresholds = learn_thresholds(
            indicator,
            scores,
            metric=self.scoring,
            default=0.5 if method == "predict_proba" else 0.0,
        )
        self.estimator_ = estimator_
        self.classes_ = classes
        self.response_method_ = method
        self._target_type = target_type
        self._y_dtype = y.dtype
        self.thresholds_ = thresholds
        return self

    def _splits(self, X, y, target_type):
        """The ``(train, test)`` rows of each fold.

        An int ``cv`` splits a multilabel target by iterative stratification
        (ties broken with a fixed seed), other targets as scikit-learn does.
        """
        n_samples = y.shape[0]
        if isinstance(self.cv, Integral) and self.cv > n_samples:
            raise ValueError(
                f"cv={self.cv} folds need at least {self.cv} rows to score, one "
                f"per fold; there are {n_samples}. Give more rows or lower cv."
            )
        if isinstance(self.cv, Integral) and target_type == "multilabel-indicator":
            rows = np.arange(n_samples)
            folds = multilabel_folds(y, rows, self.cv, seed=0)
            return [(np.setdiff1d(rows, fold), fold) for fold in folds]
        return list(check_cv(self.cv, y, classifier=True).split(X, y))

    def _decision_rule(self):
        """The rule ``predict`` applies: the learned thresholds."""
        check_is_fitted(self)
        return DecisionRule(
            "threshold",
            thresholds=self.thresholds_,
            at_least_one_label=bool(self.at_least_one_label)
            and self._target_type == "multilabel-indicator",
        )

    def _resolve_response_method(self):
        if self.response_method != "auto":
            getattr(self.estimator, self.response_method)  # clear AttributeError
            return self.response_method
        for method in ("predict_proba", "decision_function"):
            if hasattr(self.estimator, method):
                return method
        raise AttributeError(
            f"{type(self).__name__} needs an estimator with predict_proba or "
            f"decision_function; {type(self.estimator).__name__} has neither."
        )

    def predict(self, X):
        """Predict the labels of each sample with the learned thresholds.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels) or (n_samples,)
            The 0/1 label indicator matrix, in the dtype of the training y,
            or the predicted classes for a binary target.
        """
        rule = self._decision_rule()
        scores = _label_scores(
            getattr(self.estimator_, self.response_method_)(_check_X(X)),
            self._target_type,
        )
        indicator = rule.decide(scores)
        if self._target_type == "binary":
            return self.classes_[indicator[:, 0]]
        return indicator.astype(self._y_dtype, copy=False)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Probabilities of the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray
            ``estimator_.predict_proba(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(_check_X(X))

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision scores of the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray
            ``estimator_.decision_function(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(_check_X(X))

    @property
    def n_features_in_(self):
        """Number of features seen during ``fit``."""
        check_is_fitted(self)
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        """Names of features seen during ``fit``."""
        check_is_fitted(self)
        return self.estimator_.feature_names_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False
        tags.input_tags = inner.input_tags
        tags.target_tags.required = True
        return tags

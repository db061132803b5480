"""MultilabelThresholdTuner: per-label thresholds for any multilabel classifier."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils import check_array, get_tags, indexable
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
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
    errors of :class:`KerasMultilabelClassifier`. A sparse indicator is
    densified: the thresholds are learned from dense out-of-fold scores.
    """
    check_not_label_sets(y)
    if sp.issparse(y):
        y = y.toarray()
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


def _mean_response(responses):
    """The mean of several models' outputs of one method, in their format.

    Each output is an array, or a list of one array per label (a multi-output
    ``predict_proba``); lists are averaged label by label.
    """
    if isinstance(responses[0], list):
        return [np.mean(label, axis=0) for label in zip(*responses, strict=True)]
    return np.mean([np.asarray(response) for response in responses], axis=0)


#: The usual cut of decision scores: ``score > 0``, as scikit-learn's
#: ``predict`` (and OneVsRestClassifier's, whose label never seen in training
#: scores exactly 0), written as ``score >= threshold`` for the thresholds.
_DECISION_CUT = float(np.nextafter(0.0, 1.0))

#: Delegates of predict_proba and decision_function: the fold models when they
#: predict, else the refitted estimator, else (unfitted) the estimator.
_DELEGATES = ("estimators_", "estimator_", "estimator")


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
    micro-F1 to score below it on the out-of-fold scores). ``predict`` then
    applies the learned ``thresholds_`` to the scores of the model that
    predicts, which ``refit`` chooses: ``estimator`` refitted on all the data,
    or the fold models themselves, whose scores are averaged (a cross-fitted
    ensemble). The thresholds never see scores of rows the scoring model was
    trained on.

    Probabilities mean the same on a model trained on more rows, so refitting
    keeps them on the thresholds' scale. Decision scores (SVM margins, logits)
    need not: a model trained on all the rows may give larger or smaller
    margins than the fold models the thresholds were learned from, and a
    threshold learned on one scale can then do worse than the usual cut on
    the other. The default ``refit="auto"`` therefore predicts with the fold
    models on decision scores, so that the thresholds and the scores they cut
    come from the same models, and refits on probabilities.

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
        with no out-of-fold positive keeps the usual cut: 0.5 on
        probabilities; on decision scores ``score > 0``, as scikit-learn's
        ``predict`` (a threshold of the smallest positive float, since a
        label is on when its score is at least its threshold).

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

    refit : {"auto", True, False}, default="auto"
        Which model predicts. ``True``: ``estimator`` refitted on all the
        data (``estimator_``), one more fit. ``False``: the fold models
        (``estimators_``), each fitted on all but one fold; ``predict``,
        ``predict_proba`` and ``decision_function`` use the mean of their
        outputs, on the scale the thresholds were learned on, and no model is
        fitted on all the data. ``"auto"``: ``False`` when the thresholds cut
        decision scores (``response_method_ == "decision_function"``),
        ``True`` when they cut probabilities. Unlike scikit-learn's
        :class:`~sklearn.model_selection.TunedThresholdClassifierCV`, whose
        ``refit=False`` needs a single split, ``False`` works with any number
        of folds.

    n_jobs : int or None, default=None
        Folds fitted in parallel.

    Attributes
    ----------
    estimator_ : estimator object
        ``estimator`` refitted on all the data; only when ``refit_`` is True
        (absent otherwise, as ``best_estimator_`` of a grid search without
        refit).

    estimators_ : list of estimator objects
        The fold models, the ``k``-th fitted on all rows but those of test
        fold ``k``; only when ``refit_`` is False (absent otherwise: the fold
        models are not kept when ``estimator_`` predicts).

    refit_ : bool
        Whether ``estimator_`` (True) or the mean of ``estimators_`` (False)
        predicts: ``refit``, with ``"auto"`` resolved.

    thresholds_ : ndarray of shape (n_labels,)
        The learned thresholds, one per label (one for a binary target, on
        the score of ``classes_[1]``).

    response_method_ : str
        The response method used.

    classes_ : ndarray
        Classes of the model that predicts (those of every fold model, when
        they predict).

    n_features_in_ : int
        Number of features seen during ``fit`` (when the model that predicts
        has it).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit`` (when the model that predicts
        has them).

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
    >>> tuner.refit_  # probabilities: refitted on all the data
    True
    >>> from sklearn.svm import LinearSVC
    >>> svm_tuner = MultilabelThresholdTuner(
    ...     OneVsRestClassifier(LinearSVC()), cv=3).fit(X, y)
    >>> svm_tuner.refit_, len(svm_tuner.estimators_)  # margins: the fold models
    (False, 3)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"])],
        "scoring": [StrOptions(set(THRESHOLD_METRICS))],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "cv": ["cv_object"],
        "at_least_one_label": ["boolean"],
        "refit": [StrOptions({"auto"}), "boolean"],
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
        refit="auto",
        n_jobs=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.response_method = response_method
        self.cv = cv
        self.at_least_one_label = at_least_one_label
        self.refit = refit
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Learn the thresholds from out-of-fold scores; refit or keep the folds.

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
        refit = self.refit if self.refit != "auto" else method == "predict_proba"
        # rows of any array-like can be taken (sparse X as CSR), as in sklearn
        X_rows = indexable(X)[0]
        splits = self._splits(X_rows, y, target_type)
        # the folds must be a partition: checked here, before any fit
        out_of_fold_scores(lambda k, train, test: np.zeros(len(test)), splits, len(y))
        estimator = self.estimator

        def fit_and_score(train, test):
            params = _check_method_params(X_rows, params=fit_params, indices=train)
            fold_model = clone(estimator).fit(
                _safe_indexing(X_rows, train), _safe_indexing(y, train), **params
            )
            raw = getattr(fold_model, method)(_safe_indexing(X_rows, test))
            # a fold model is sent back only when it predicts
            return (None if refit else fold_model), _label_scores(raw, target_type)

        folds = Parallel(n_jobs=self.n_jobs)(
            delayed(fit_and_score)(train, test) for train, test in splits
        )
        scores = out_of_fold_scores(
            lambda k, train, test: folds[k][1], splits, y.shape[0]
        )
        if refit:
            estimator_ = clone(self.estimator).fit(X, y, **fit_params)
            classes = estimator_.classes_
        else:
            estimators = [fold_model for fold_model, _ in folds]
            classes = self._common_classes(estimators)
        indicator = (y == classes[1]).reshape(-1, 1) if target_type == "binary" else y
        thresholds = learn_thresholds(
            indicator,
            scores,
            metric=self.scoring,
            default=0.5 if method == "predict_proba" else _DECISION_CUT,
        )
        for name in ("estimator_", "estimators_"):  # from an earlier fit
            self.__dict__.pop(name, None)
        if refit:
            self.estimator_ = estimator_
        else:
            self.estimators_ = estimators
        self.refit_ = bool(refit)
        self.classes_ = classes
        self.response_method_ = method
        self._target_type = target_type
        self._y_dtype = y.dtype
        self.thresholds_ = thresholds
        return self

    @staticmethod
    def _common_classes(estimators):
        """The classes of the fold models, which must all have the same."""
        classes = estimators[0].classes_
        for k, fold_model in enumerate(estimators[1:], start=1):
            if not np.array_equal(fold_model.classes_, classes):
                raise ValueError(
                    f"The fold models do not share their classes: fold 0 has "
                    f"{list(classes)!r} and fold {k} {list(fold_model.classes_)!r} "
                    "(a class absent from a fold's training rows). With "
                    "refit=False the fold models predict together and need the "
                    "same classes: use folds whose training rows hold every "
                    "class, or refit=True."
                )
        return classes

    def _response(self, X, method):
        """Output of ``method`` of the model that predicts, in its own format.

        With ``refit_`` False, the mean over the fold models.
        """
        check_is_fitted(self)
        X = _check_X(X)
        if self.refit_:
            return getattr(self.estimator_, method)(X)
        return _mean_response(
            [getattr(fold_model, method)(X) for fold_model in self.estimators_]
        )

    def _predictor(self):
        """The (first) model that predicts."""
        check_is_fitted(self)
        return self.estimator_ if self.refit_ else self.estimators_[0]

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
            self._response(X, self.response_method_), self._target_type
        )
        indicator = rule.decide(scores)
        if self._target_type == "binary":
            return self.classes_[indicator[:, 0]]
        return indicator.astype(self._y_dtype, copy=False)

    @available_if(_estimator_has("predict_proba", delegates=_DELEGATES))
    def predict_proba(self, X):
        """Probabilities of the model that predicts.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray or list of ndarray
            ``estimator_.predict_proba(X)``, or with ``refit_`` False the
            mean of the fold models' ``predict_proba(X)``.
        """
        return self._response(X, "predict_proba")

    @available_if(_estimator_has("decision_function", delegates=_DELEGATES))
    def decision_function(self, X):
        """Decision scores of the model that predicts.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray
            ``estimator_.decision_function(X)``, or with ``refit_`` False
            the mean of the fold models' ``decision_function(X)``.
        """
        return self._response(X, "decision_function")

    @property
    def n_features_in_(self):
        """Number of features seen during ``fit``."""
        return self._predictor().n_features_in_

    @property
    def feature_names_in_(self):
        """Names of features seen during ``fit``."""
        return self._predictor().feature_names_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False
        tags.input_tags = inner.input_tags
        tags.target_tags.required = True
        return tags

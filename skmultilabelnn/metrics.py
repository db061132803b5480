"""Multilabel evaluation: decision metrics in one call, and ranking metrics.

:func:`multilabel_scores` scores 0/1 predictions with the usual set of
metrics. The ranking metrics of extreme multilabel classification score the
order of the labels instead: :func:`precision_at_k`, :func:`recall_at_k`,
:func:`ndcg_at_k` and :func:`psp_at_k` take dense or sparse ``y_true`` and
either a score for every label (``predict_proba`` or ``decision_function``)
or each sample's top labels (:class:`RankedLabels`, from
:func:`top_k_labels` or ``KerasMultilabelClassifier.predict_ranked``), and
:func:`ranking_scorer` makes scikit-learn scorers of them for
``GridSearchCV`` and ``cross_validate``.

Ties in a score matrix are averaged: labels of equal score share their
places, each counting as the mean over every order of the tied labels (as
:func:`sklearn.metrics.ndcg_score` does by default). A sample with no true
label scores 0 in recall and nDCG (and counts in every mean), as in
:func:`sklearn.metrics.ndcg_score`.
"""

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    hamming_loss,
    jaccard_score,
    make_scorer,
)
from sklearn.utils import check_array

from ._ranking import (
    RANKING_METRICS,
    RankedLabels,
    check_k,
    inverse_propensities,
    ranking_scores,
    top_k,
)

__all__ = [
    "MULTILABEL_METRICS",
    "RankedLabels",
    "inverse_propensities",
    "multilabel_scores",
    "ndcg_at_k",
    "precision_at_k",
    "psp_at_k",
    "ranking_scorer",
    "recall_at_k",
    "top_k_labels",
]

#: Metrics of :func:`multilabel_scores`, with True where higher is better.
MULTILABEL_METRICS = {
    "hamming_loss": False,
    "subset_accuracy": True,
    "f1_micro": True,
    "f1_macro": True,
    "f1_samples": True,
    "jaccard_samples": True,
}


def multilabel_scores(y_true, y_pred):
    """Score a multilabel prediction with the usual set of metrics.

    Parameters
    ----------
    y_true : array-like or sparse matrix of shape (n_samples, n_labels)
        True 0/1 label indicator matrix.
    y_pred : array-like or sparse matrix of shape (n_samples, n_labels)
        Predicted 0/1 label indicator matrix.

    Returns
    -------
    scores : dict of str to float
        ``hamming_loss`` (fraction of wrong labels), ``subset_accuracy``
        (fraction of rows entirely right), ``f1_micro``, ``f1_macro``,
        ``f1_samples`` and ``jaccard_samples``. A sample or label with no true
        and no predicted label scores 0 in the averaged F1 and Jaccard scores
        (``zero_division=0``), without a warning.

    Examples
    --------
    >>> from skmultilabelnn.metrics import multilabel_scores
    >>> scores = multilabel_scores([[1, 0], [1, 1]], [[1, 0], [0, 1]])
    >>> scores["hamming_loss"], scores["subset_accuracy"]
    (0.25, 0.5)
    """
    return {
        "hamming_loss": float(hamming_loss(y_true, y_pred)),
        "subset_accuracy": float(accuracy_score(y_true, y_pred)),
        "f1_micro": float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "f1_macro": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "f1_samples": float(
            f1_score(y_true, y_pred, average="samples", zero_division=0)
        ),
        "jaccard_samples": float(
            jaccard_score(y_true, y_pred, average="samples", zero_division=0)
        ),
    }


def precision_at_k(y_true, y_score, *, k=5, sample_weight=None):
    """Precision at k: the fraction of each sample's top ``k`` labels that are true.

    Parameters
    ----------
    y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        True 0/1 labels.
    y_score : array-like of shape (n_samples, n_labels) or RankedLabels
        A score for every label (probabilities or decision values; higher
        ranks first, ties averaged), or each sample's ranked labels (at least
        ``k`` of them).
    k : int, default=5
        The number of top labels looked at.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the mean.

    Returns
    -------
    precision : float
        The mean over samples of ``|top k labels & true labels| / k``, in [0, 1].

    Examples
    --------
    >>> from skmultilabelnn.metrics import precision_at_k
    >>> precision_at_k([[1, 0, 1], [0, 1, 0]], [[0.9, 0.5, 0.1], [0.2, 0.1, 0.3]], k=2)
    0.25
    """
    return ranking_scores(y_true, y_score, k, sample_weight=sample_weight)["precision"]


def recall_at_k(y_true, y_score, *, k=5, sample_weight=None):
    """Recall at k: the fraction of each sample's true labels among its top ``k``.

    Parameters
    ----------
    y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        True 0/1 labels.
    y_score : array-like of shape (n_samples, n_labels) or RankedLabels
        A score for every label (probabilities or decision values; higher
        ranks first, ties averaged), or each sample's ranked labels (at least
        ``k`` of them).
    k : int, default=5
        The number of top labels looked at.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the mean.

    Returns
    -------
    recall : float
        The mean over samples of ``|top k labels & true labels| / |true
        labels|`` (0 for a sample without true labels), in [0, 1].

    Examples
    --------
    >>> from skmultilabelnn.metrics import recall_at_k
    >>> recall_at_k([[1, 0, 1], [0, 1, 0]], [[0.9, 0.5, 0.1], [0.2, 0.1, 0.3]], k=2)
    0.25
    """
    return ranking_scores(y_true, y_score, k, sample_weight=sample_weight)["recall"]


def ndcg_at_k(y_true, y_score, *, k=5, sample_weight=None):
    """Normalised discounted cumulative gain at k, for 0/1 relevance.

    Parameters
    ----------
    y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        True 0/1 labels.
    y_score : array-like of shape (n_samples, n_labels) or RankedLabels
        A score for every label (probabilities or decision values; higher
        ranks first, ties averaged), or each sample's ranked labels (at least
        ``k`` of them).
    k : int, default=5
        The number of top labels looked at.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the mean.

    Returns
    -------
    ndcg : float
        The mean over samples of ``sum_{i<k} rel_i / log2(i + 2)`` divided by
        its best value, ``sum_{i<min(k, n_true)} 1 / log2(i + 2)`` (0 for a
        sample without true labels): the same as
        :func:`sklearn.metrics.ndcg_score` with ``k``, which needs a dense
        ``y_true`` and a full score matrix.

    Examples
    --------
    >>> from skmultilabelnn.metrics import ndcg_at_k
    >>> round(ndcg_at_k([[1, 0, 1]], [[0.9, 0.5, 0.1]], k=2), 4)
    0.6131
    """
    return ranking_scores(y_true, y_score, k, sample_weight=sample_weight)["ndcg"]


def psp_at_k(
    y_true,
    y_score,
    *,
    k=5,
    inverse_propensity=None,
    a=0.55,
    b=1.5,
    sample_weight=None,
):
    """Propensity-scored precision at k (Jain, Prabhu and Varma, 2016).

    Precision at k in which a true label found counts its inverse propensity
    (see :func:`inverse_propensities`): rare labels, often missing from
    the annotations, weigh more. As in the Extreme Classification
    Repository's code, the mean over samples is divided by the same mean for
    the best possible ranking (each sample's true labels of highest weight),
    so that the score lies in [0, 1].

    Parameters
    ----------
    y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        True 0/1 labels.
    y_score : array-like of shape (n_samples, n_labels) or RankedLabels
        A score for every label (probabilities or decision values; higher
        ranks first, ties averaged), or each sample's ranked labels (at least
        ``k`` of them).
    k : int, default=5
        The number of top labels looked at.
    inverse_propensity : array-like of shape (n_labels,), default=None
        Each label's weight, best computed from the training labels with
        :func:`inverse_propensities`. By default it is computed from
        ``y_true`` with ``a`` and ``b`` (what a scorer, which sees only the
        test fold, can do).
    a, b : float, default=0.55 and 1.5
        The propensity model's constants, used without ``inverse_propensity``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the means.

    Returns
    -------
    psp : float
        In [0, 1]; 0 when no sample has a true label.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabelnn.metrics import psp_at_k
    >>> y_true = [[1, 0, 1], [0, 1, 0]]
    >>> psp_at_k(y_true, y_true, k=1, inverse_propensity=np.ones(3))
    1.0
    """
    if inverse_propensity is None:
        inverse_propensity = inverse_propensities(y_true, a=a, b=b)
    return ranking_scores(
        y_true,
        y_score,
        k,
        sample_weight=sample_weight,
        inverse_propensity=inverse_propensity,
    )["psp"]


def top_k_labels(y_score, *, k=5, classes=None):
    """Each sample's ``k`` highest-scoring labels, best first.

    Parameters
    ----------
    y_score : array-like of shape (n_samples, n_labels)
        A score for every label; ties go to the lower column.
    k : int, default=5
        The number of labels kept per sample.
    classes : array-like of shape (n_labels,), default=None
        Label names, for the result's ``labels``.

    Returns
    -------
    ranked : RankedLabels
        ``indices`` and ``scores`` of shape (n_samples, k).

    Examples
    --------
    >>> from skmultilabelnn.metrics import top_k_labels
    >>> top_k_labels([[0.2, 0.9, 0.2]], k=2, classes=["a", "b", "c"]).labels
    array([['b', 'a']], dtype='<U1')
    """
    scores = check_array(y_score, input_name="y_score")
    if classes is not None:
        classes = np.asarray(classes)
        if classes.shape != (scores.shape[1],):
            raise ValueError(
                f"classes has shape {classes.shape}; expected ({scores.shape[1]},), "
                "one name per label."
            )
    return top_k(scores, k, classes)


_METRIC_FUNCTIONS = {
    "precision": precision_at_k,
    "recall": recall_at_k,
    "ndcg": ndcg_at_k,
    "psp": psp_at_k,
}


def ranking_scorer(metric, *, k=5, **kwargs):
    """A scikit-learn scorer of a ranking metric, for ``scoring=``.

    The scorer ranks with ``predict_proba``, or with ``decision_function``
    for an estimator that has no ``predict_proba`` (a one-vs-rest linear
    SVM). It takes dense or sparse ``y``, as ``GridSearchCV`` and
    ``cross_validate`` pass it.

    Parameters
    ----------
    metric : {"precision", "recall", "ndcg", "psp"}
        The metric: :func:`precision_at_k`, :func:`recall_at_k`,
        :func:`ndcg_at_k` or :func:`psp_at_k`.
    k : int, default=5
        The cut-off.
    **kwargs
        Further arguments of the metric (``a`` and ``b`` of ``"psp"``).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, greater is better.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklearn.multiclass import OneVsRestClassifier
    >>> from sklearn.svm import LinearSVC
    >>> from skmultilabelnn.metrics import ranking_scorer
    >>> X, Y = make_multilabel_classification(n_classes=8, random_state=0)
    >>> scores = cross_val_score(OneVsRestClassifier(LinearSVC()), X, Y, cv=3,
    ...                          scoring=ranking_scorer("precision", k=3))
    >>> scores.shape
    (3,)
    """
    if metric not in _METRIC_FUNCTIONS:
        raise ValueError(f"metric must be one of {RANKING_METRICS}; got {metric!r}.")
    check_k(k, k)
    return make_scorer(
        _METRIC_FUNCTIONS[metric],
        response_method=("predict_proba", "decision_function"),
        k=k,
        **kwargs,
    )

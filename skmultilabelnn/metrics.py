"""Multilabel evaluation in one call: the metrics the benchmarks report."""

from sklearn.metrics import accuracy_score, f1_score, hamming_loss, jaccard_score

__all__ = ["MULTILABEL_METRICS", "multilabel_scores"]

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

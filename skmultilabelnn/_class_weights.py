"""What ``class_weight`` means for each output unit (NumPy and scikit-learn only)."""

import math
import numbers

import numpy as np


def balanced_label_weights(y):
    """Weights of positives and negatives of each label, as sklearn's "balanced".

    For each label, positives weigh ``n_samples / (2 * n_positives)`` and
    negatives ``n_samples / (2 * n_negatives)``, like
    :func:`sklearn.utils.class_weight.compute_class_weight` for that label's
    binary problem. A label that is always present or always absent keeps
    weight 1 on both sides.

    Parameters
    ----------
    y : {ndarray, sparse matrix} of shape (n_samples, n_labels)
        0/1 indicator of training labels.

    Returns
    -------
    pos_weight, neg_weight : list of float, of length n_labels
    """
    n_samples = y.shape[0]
    positives = np.asarray(y.sum(axis=0), dtype=np.float64).ravel()
    negatives = n_samples - positives
    both = (positives > 0) & (negatives > 0)  # else always present or absent
    with np.errstate(divide="ignore"):
        # compute_class_weight("balanced") of each label's binary problem
        pos = np.where(both, n_samples / (2 * positives), 1.0)
        neg = np.where(both, n_samples / (2 * negatives), 1.0)
    return pos.tolist(), neg.tolist()


def output_class_weights(class_weight, y_encoded, classes, target_type):
    """What ``class_weight`` means for each output unit of the network.

    Parameters
    ----------
    class_weight : "balanced" or dict
        ``"balanced"``, or weights by class label (1-D targets) or by label
        (multilabel targets: the weight of that label's positives); labels
        left out weigh 1. Weights are finite numbers >= 0.
    y_encoded : ndarray of shape (n_samples, n_outputs)
        Encoded training targets: 0/1 columns (sigmoid) or one-hot (softmax).
    classes : ndarray of shape (n_classes,)
        The estimator's ``classes_``.
    target_type : {"multilabel-indicator", "binary", "multiclass"}

    Returns
    -------
    weights : tuple of two lists, or dict
        ``(pos_weight, neg_weight)`` per output for sigmoid outputs (binary
        and multilabel targets), to weigh the loss; ``{output index: weight}``
        for a multiclass target, Keras' own ``class_weight``.

    Raises
    ------
    ValueError
        If a key of a dict ``class_weight`` is not in ``classes``, or its
        weight is not a finite number >= 0.
    """
    classes = list(classes)
    if isinstance(class_weight, dict):
        unknown = [key for key in class_weight if key not in classes]
        if unknown:
            raise ValueError(
                f"class_weight has keys {unknown} that are not among classes_ "
                f"{classes}."
            )
        for key, weight in class_weight.items():
            # 0 is allowed, as in scikit-learn: it switches a class off
            if not (
                isinstance(weight, numbers.Real)
                and not isinstance(weight, bool)
                and math.isfinite(weight)
                and weight >= 0
            ):
                raise ValueError(
                    f"class_weight[{key!r}] must be a finite number >= 0; got "
                    f"{weight!r}."
                )
    if target_type == "multiclass":
        if isinstance(class_weight, dict):
            return {i: float(class_weight.get(c, 1.0)) for i, c in enumerate(classes)}
        counts = np.bincount(y_encoded.argmax(axis=1), minlength=len(classes))
        n_seen = np.count_nonzero(counts)
        return {
            i: float(y_encoded.shape[0] / (n_seen * count)) if count else 1.0
            for i, count in enumerate(counts)
        }
    if not isinstance(class_weight, dict):
        return balanced_label_weights(y_encoded)
    if target_type == "binary":
        return (
            [float(class_weight.get(classes[1], 1.0))],
            [float(class_weight.get(classes[0], 1.0))],
        )
    return [float(class_weight.get(c, 1.0)) for c in classes], [1.0] * len(classes)

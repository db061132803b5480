"""The loss the engine minimises: a Keras loss, maybe weighted per label and side."""

from dataclasses import dataclass

import keras
import numpy as np
from keras import ops


@dataclass(frozen=True)
class TrainingLoss:
    """A Keras loss and, for sigmoid outputs, weights of each label's two sides.

    Parameters
    ----------
    loss : keras.losses.Loss
        The model's loss. With label weights it must reduce over the last
        axis only (binary cross-entropy, focal), so that applying it to
        ``y[..., None]`` gives one term per label.
    pos_weight, neg_weight : ndarray of shape (n_outputs,) or None
        Weight of each label's positives and negatives (``class_weight``);
        None weighs every term 1.
    """

    loss: keras.losses.Loss
    pos_weight: np.ndarray = None
    neg_weight: np.ndarray = None

    @property
    def label_weighted(self):
        return self.pos_weight is not None

    def weights(self, n_outputs, dtype):
        """``(pos_weight, neg_weight)`` as arrays, ones when not label weighted."""
        if not self.label_weighted:
            ones = np.ones(n_outputs, dtype)
            return ones, ones
        return self.pos_weight.astype(dtype), self.neg_weight.astype(dtype)

    def cache_key(self):
        """What a compiled function depends on: the loss' class and configuration."""
        loss = self.loss
        config = loss.get_config() if hasattr(loss, "get_config") else repr(loss)
        return (type(loss).__qualname__, repr(config), self.label_weighted)


def as_loss(loss):
    """A ``keras.losses.Loss`` for a model's ``loss``: a name, function or Loss."""
    if isinstance(loss, keras.losses.Loss):
        return loss
    if isinstance(loss, str):
        loss = keras.losses.get(loss)
        if isinstance(loss, keras.losses.Loss):
            return loss
    if callable(loss):
        return _FunctionLoss(loss)
    raise ValueError(
        f"The model's loss must be a Keras loss, its name or a function; got {loss!r}."
    )


class _FunctionLoss(keras.losses.Loss):
    """A loss function ``fn(y_true, y_pred)`` of per-sample values, as a Loss."""

    def __init__(self, function):
        name = f"{function.__module__}.{function.__qualname__}"
        super().__init__(name=name)
        self.function = function

    def call(self, y_true, y_pred):
        return self.function(y_true, y_pred)


def batch_loss(training_loss, y_true, y_pred, row_weight, pos_weight, neg_weight):
    """Mean loss over the rows of a batch whose ``row_weight`` is not 0.

    Rows of weight 0 are padding (the last, short batch of an epoch): they
    count neither in the sum nor in the number of rows, which gives the same
    value as Keras' ``"sum_over_batch_size"`` on the unpadded batch.
    Written with ``keras.ops``, so that it traces on every backend.
    """
    n_rows = ops.maximum(ops.sum(ops.cast(row_weight > 0, y_pred.dtype)), 1.0)
    loss = training_loss.loss
    if training_loss.label_weighted:
        terms = loss.call(y_true[..., None], y_pred[..., None])
        side = pos_weight * y_true + neg_weight * (1.0 - y_true)
        per_row = ops.mean(terms * side, axis=-1)
        return ops.sum(per_row * row_weight) / n_rows
    value = loss(y_true, y_pred, sample_weight=row_weight)
    if loss.reduction == "sum_over_batch_size":
        # Keras divides by the padded batch's size; divide by the real rows
        value = value * ops.cast(ops.shape(row_weight)[0], value.dtype) / n_rows
    return value

"""What one fit trains on: arrays, which rows train and validate, and randomness."""

from dataclasses import InitVar, dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse


def dense(array):
    """``array`` itself, or a sparse matrix's rows densified."""
    return array.toarray() if scipy.sparse.issparse(array) else array


class EngineState(NamedTuple):
    """The values of a model's variables while the engine trains it.

    A named tuple, so JAX and TensorFlow carry it through compiled functions
    as a tree of arrays.
    """

    trainable: list
    non_trainable: list
    optimizer: list


@dataclass(frozen=True)
class TrainingData:
    """The arrays of a fit and the rows that train and validate.

    Rows are chosen by index, so the arrays are never copied to split them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...) or sparse matrix
        Samples, in the model's float dtype.
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets, same dtype.
    sample_weight : ndarray of shape (n_samples,) or None
        Weight of each row in the loss; None weighs every row 1. Stored as
        ``row_weight``, in ``Y``'s dtype.
    train_rows : ndarray of int or None
        Rows the network is trained on (none of weight 0); None for all.
    validation_rows : ndarray of int or None
        Rows whose loss and metrics are reported as ``val_...`` each epoch.

    Attributes
    ----------
    row_weight : ndarray of shape (n_samples,)
        The sample weights, ones where none were given.
    """

    X: np.ndarray
    Y: np.ndarray
    sample_weight: InitVar[np.ndarray] = None
    train_rows: np.ndarray = None
    validation_rows: np.ndarray = None
    row_weight: np.ndarray = field(init=False)

    def __post_init__(self, sample_weight):
        if self.train_rows is None:
            object.__setattr__(self, "train_rows", np.arange(self.X.shape[0]))
        if sample_weight is None:
            row_weight = np.ones(self.X.shape[0], dtype=self.Y.dtype)
        else:
            row_weight = np.asarray(sample_weight).astype(self.Y.dtype, copy=False)
        object.__setattr__(self, "row_weight", row_weight)

    def arrays(self):
        """``(X, Y, row_weight)``."""
        return self.X, self.Y, self.row_weight


@dataclass(frozen=True)
class EarlyStopping:
    """Stop when ``monitor`` has not improved for ``patience`` epochs.

    Parameters
    ----------
    monitor : {"loss", "val_loss", "val_roc_auc"}
        A loss (lower is better) or the validation ROC AUC (higher is better).
    patience : int
    """

    monitor: str
    patience: int

    @property
    def higher_is_better(self):
        return self.monitor == "val_roc_auc"


@dataclass(frozen=True)
class TrainingOptions:
    """How a fit trains: epochs, batches, randomness, callbacks.

    Parameters
    ----------
    epochs, initial_epoch, batch_size : int
    shuffle : bool
    random_state : EpochRandomness
    callbacks : list of keras.callbacks.Callback
        Called at epoch granularity; a per-batch callback is called once per
        epoch, after its last batch (``on_train_batch_end`` with the index of
        the last batch and the epoch's logs).
    verbose : int
    early_stopping : EarlyStopping or None, default=None
        Stop early and keep the best epoch's weights; None trains every epoch.
    sparse_updates : {"lazy", "dense"}, default="lazy"
        For sparse X through the first layer's sparse product: update only
        the kernel rows of the features present in a batch (Adam, AdamW),
        or every row.
    sampled_labels : int or None, default=None
        Train each step on the labels positive in its batch and this many
        others drawn at random (see ``_sampled_labels``); None, or at least
        the number of labels, trains every label at every step.
    roc_auc_rows : ndarray of int or None, default=None
        Validation rows whose outputs give their mean ROC AUC over labels
        each epoch too (``val_roc_auc``): ``_roc_auc.roc_auc_rows`` of the
        fit's validation rows. None scores no ROC AUC.
    """

    epochs: int
    initial_epoch: int
    batch_size: int
    shuffle: bool
    random_state: "EpochRandomness"
    callbacks: list
    verbose: int
    early_stopping: EarlyStopping = None
    sparse_updates: str = "lazy"
    sampled_labels: int = None
    roc_auc_rows: np.ndarray = None

    def samples_labels(self, n_labels):
        """Whether a fit of ``n_labels`` outputs trains on sampled labels:
        ``sampled_labels`` fewer than them (else every label, every step)."""
        return self.sampled_labels is not None and self.sampled_labels < n_labels


class EpochRandomness:
    """Where each epoch's shuffling and dropout seeds come from.

    An int seed gives epoch ``e`` the generator ``default_rng([seed, e])``:
    the same draws whichever thread runs the fit and whatever ran before it,
    and the same after pickling (``partial_fit`` on a restored estimator
    continues the sequence). None draws fresh entropy once per fit.

    Parameters
    ----------
    seed : int or None
    """

    def __init__(self, seed):
        self.seed = seed
        self._generator = None if seed is not None else np.random.default_rng()

    def for_epoch(self, epoch):
        """The generator of epoch ``epoch``."""
        if self.seed is None:
            return self._generator
        return np.random.default_rng([self.seed, epoch])

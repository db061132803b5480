"""What one fit trains on: arrays, which rows train and validate, and randomness."""

from dataclasses import dataclass

import numpy as np


@dataclass
class TrainingData:
    """The arrays of a fit and the rows that train and validate.

    Rows are chosen by index, so the arrays are never copied to split them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
        Samples, in the model's float dtype.
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets, same dtype.
    sample_weight : ndarray of shape (n_samples,) or None
        Weight of each row in the loss.
    train_rows : ndarray of int
        Rows the network is trained on (none of weight 0).
    validation_rows : ndarray of int or None
        Rows whose loss and metrics are reported as ``val_...`` each epoch.
    """

    X: np.ndarray
    Y: np.ndarray
    sample_weight: np.ndarray = None
    train_rows: np.ndarray = None
    validation_rows: np.ndarray = None

    def __post_init__(self):
        if self.train_rows is None:
            self.train_rows = np.arange(self.X.shape[0])

    def row_weight(self):
        """The sample weights, ones where none were given."""
        if self.sample_weight is None:
            self.sample_weight = np.ones(self.X.shape[0], dtype=self.Y.dtype)
        self.sample_weight = self.sample_weight.astype(self.Y.dtype, copy=False)
        return self.sample_weight

    def arrays(self):
        """``(X, Y, row_weight)``."""
        return self.X, self.Y, self.row_weight()


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
    early_stopping : tuple (monitor, patience) or None, default=None
        Stop when ``monitor`` (``"loss"`` or ``"val_loss"``) has not improved
        for ``patience`` epochs, and keep the best epoch's weights.
    """

    epochs: int
    initial_epoch: int
    batch_size: int
    shuffle: bool
    random_state: "EpochRandomness"
    callbacks: list
    verbose: int
    early_stopping: tuple = None


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

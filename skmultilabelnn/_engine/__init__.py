"""The package's training engine: compiled epochs over data held on the device.

Its public face is two functions: ``train`` runs a fit's epochs (on TensorFlow
and JAX through functions compiled once per architecture and reused by every
later fit of it, elsewhere through Keras' ``Model.fit``) and ``predict`` runs a
trained model over X in fixed-shape chunks. The records they take are
``TrainingData``, ``TrainingOptions``, ``EpochRandomness`` and ``TrainingLoss``.
"""

from ._compiled import has_engine, use_template_replica
from ._data import EarlyStopping, EpochRandomness, TrainingData, TrainingOptions
from ._inference import predict_in_chunks as predict
from ._keras_fit import fit_with_keras
from ._loop import run_epochs
from ._loss import TrainingLoss, as_loss
from ._roc_auc import roc_auc_rows

__all__ = [
    "EarlyStopping",
    "EpochRandomness",
    "TrainingData",
    "TrainingLoss",
    "TrainingOptions",
    "as_loss",
    "predict",
    "roc_auc_rows",
    "train",
    "use_template_replica",
]


def train(model, training_loss, data, options):
    """Train ``model`` on ``data``; return its history (dict of lists).

    Parameters
    ----------
    model : keras.Model
        A compiled model, trained in place.
    training_loss : TrainingLoss
    data : TrainingData
    options : TrainingOptions
    """
    if has_engine():
        return run_epochs(model, training_loss, data, options)
    return fit_with_keras(model, training_loss, data, options)

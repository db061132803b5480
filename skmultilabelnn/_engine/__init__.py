"""The package's training engine: compiled epochs over data held on the device.

``train`` runs a fit's epochs: on TensorFlow and JAX through functions
compiled once per architecture and reused by every later fit of it
(``_compiled``), elsewhere through Keras' ``Model.fit``. ``predict_function``
gives the compiled inference of a model's architecture.
"""

from ._compiled import compiled_network, has_engine
from ._data import EpochRandomness, TrainingData, TrainingOptions
from ._keras_fit import fit_with_keras
from ._loop import run_epochs
from ._loss import TrainingLoss, as_loss

__all__ = [
    "EpochRandomness",
    "TrainingData",
    "TrainingLoss",
    "TrainingOptions",
    "as_loss",
    "compiled_network",
    "has_engine",
    "train",
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

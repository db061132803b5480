"""The one place that touches private scikit-learn, scikeras and Keras details.

A release of any of them that moves these names breaks this module only.
"""

import logging
import random
from contextlib import contextmanager

import keras
import numpy as np
from keras.src.backend.common import global_state
from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
from keras.src.trainers.data_adapters.array_slicing import train_validation_split
from keras.src.utils.module_utils import tensorflow as lazy_tensorflow
from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
from scikeras._utils import (
    get_loss_class_function_or_string,
    get_metric_class,
    get_optimizer_class,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from scikeras.wrappers import KerasClassifier
from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

__all__ = [
    "COMPILE_CLASS_GETTERS",
    "HasMethods",
    "Interval",
    "KerasClassifier",
    "StrOptions",
    "_fit_context",
    "keras_random_seed",
    "quiet_retracing_warnings",
    "train_validation_split",
    "route_params",
    "try_to_convert_strings_to_classes",
    "unflatten_params",
]

#: How scikeras turns each compile argument given by name into a class.
COMPILE_CLASS_GETTERS = {
    "optimizer": get_optimizer_class,
    "loss": get_loss_class_function_or_string,
    "metrics": get_metric_class,
}


@contextmanager
def keras_random_seed(seed):
    """Seed Python, NumPy, Keras and TensorFlow for one block, then restore them.

    scikeras 0.13 seeds through ``tensorflow_random_state``, which also turns
    on TensorFlow's op determinism; any later unseeded fit in the process then
    fails with "Random ops require a seed to be set when determinism is
    enabled". Seeding is all reproducibility on CPU needs, so this does only
    that, and puts every generator back as it was afterwards.

    Parameters
    ----------
    seed : int or None
        The seed; None leaves every generator alone.
    """
    if seed is None:
        yield
        return
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    keras_seed = global_state.get_global_attribute(GLOBAL_RANDOM_SEED)
    keras_generator = global_state.get_global_attribute(GLOBAL_SEED_GENERATOR)
    # Keras seeds TensorFlow, when installed, whatever the backend (tf.data).
    tf = lazy_tensorflow if lazy_tensorflow.available else None
    tf_seed = _tensorflow_global_seed() if tf is not None else None
    keras.utils.set_random_seed(int(seed))
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        global_state.set_global_attribute(GLOBAL_RANDOM_SEED, keras_seed)
        global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, keras_generator)
        if tf is not None:
            tf.random.set_seed(tf_seed)


def _tensorflow_global_seed():
    from tensorflow.python.eager import context

    return context.global_seed()


@contextmanager
def quiet_retracing_warnings():
    """Hide TensorFlow's "triggered tf.function retracing" warnings for one block.

    Every new model traces its own train and predict functions once.
    TensorFlow counts those first traces across functions and, after a few
    fits (a cross-validation, a grid search), warns of excessive retracing: a
    false alarm for an estimator that builds a model per fit. Only the
    "tensorflow" logger is raised to ERROR, and put back afterwards.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)

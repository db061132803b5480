"""Private scikeras and Keras names the package uses (see ``_compat``)."""

import inspect
import random
import threading
from contextlib import contextmanager

import keras
from keras.src import backend as _keras_backend
from keras.src.backend.common import global_state as _keras_global_state
from keras.src.backend.common.stateless_scope import (
    StatelessScope as _KerasStatelessScope,
)
from keras.src.backend.common.variables import Variable as _KerasVariable
from keras.src.random import seed_generator as _keras_seed_generator
from scikeras._utils import (
    accepts_kwargs,
    get_loss_class_function_or_string,
    get_metric_class,
    get_optimizer_class,
    has_param,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from scikeras.wrappers import KerasClassifier

__all__ = [
    "COMPILE_CLASS_GETTERS",
    "KerasClassifier",
    "accepts_kwargs",
    "adam_moments",
    "compile_metrics",
    "decays_weight",
    "compiled_metric_arguments",
    "has_param",
    "is_seed_state",
    "keras_seed_scope",
    "learning_rate_variable",
    "producing_call",
    "route_params",
    "try_to_convert_strings_to_classes",
    "unflatten_params",
    "variables_without_values",
]

#: How scikeras turns each compile argument given by name into a class.
COMPILE_CLASS_GETTERS = {
    "optimizer": get_optimizer_class,
    "loss": get_loss_class_function_or_string,
    "metrics": get_metric_class,
}


class _ThreadSeededRandom:
    """Stands in for the ``random`` module inside Keras' seed-generator module.

    Keras draws the seed of every unseeded weight initializer and
    ``SeedGenerator`` (dropout) from Python's global ``random``. This object
    passes those draws on to the global module, except in a thread that is
    inside :func:`keras_seed_scope`, where they come from that scope's own
    generator. No process-global generator is ever seeded or restored, so
    seeded builds in several threads, and other code drawing from ``random``
    meanwhile, do not disturb one another.
    """

    def __init__(self):
        self.local = threading.local()

    def randint(self, low, high):
        generator = getattr(self.local, "generator", None)
        return (generator or random).randint(low, high)

    def __getattr__(self, name):
        return getattr(random, name)


_SEED_DRAWS = _ThreadSeededRandom()
_keras_seed_generator.python_random = _SEED_DRAWS


@contextmanager
def keras_seed_scope(seed):
    """Seed the Keras objects that this thread creates in this block.

    Weight initializers and dropout layers created in the block draw their
    seeds from ``random.Random(seed)``, a generator of this block's own.

    Parameters
    ----------
    seed : int or None
        The seed; None leaves Keras' usual (random) seeding alone.
    """
    if seed is None:
        yield
        return
    previous = getattr(_SEED_DRAWS.local, "generator", None)
    _SEED_DRAWS.local.generator = random.Random(int(seed))
    try:
        yield
    finally:
        _SEED_DRAWS.local.generator = previous


def _array_with_copy(array):
    """Keras' ``Variable.__array__``, taking NumPy 2's ``copy`` argument.

    Keras 3.15's takes ``dtype`` only, so every ``np.array(variable)`` (Keras'
    own ``Variable.numpy()`` on JAX, ``get_config`` of an optimizer,
    ``Model.save``) makes NumPy 2 print a DeprecationWarning that the user
    did not ask for. The values are those of Keras' own method.
    """

    def __array__(self, dtype=None, copy=None):
        value = array(self, dtype)
        return value.copy() if copy else value

    return __array__


# Only while Keras lacks the argument: a Keras that has it is left alone.
if "copy" not in inspect.signature(_KerasVariable.__array__).parameters:
    _KerasVariable.__array__ = _array_with_copy(_KerasVariable.__array__)


def compile_metrics(model):
    """The metrics ``model`` was compiled with, as one Keras metric, or None.

    Keras' ``CompileMetrics`` resolves names such as ``"accuracy"`` against the
    loss and outputs as ``Model.fit`` does; its ``result()`` is a dict.
    """
    return getattr(model, "_compile_metrics", None)


def compiled_metric_arguments(model):
    """The ``metrics`` argument ``model`` was compiled with (None if none)."""
    return getattr(compile_metrics(model), "_user_metrics", None)


def draws_dropout_only(model):
    """Whether the only layers of ``model`` that draw random numbers are
    ``Dropout`` layers (those :func:`philox_dropout` speeds up under XLA)."""
    layers = model._flatten_layers(include_self=True, recursive=True)
    return all(
        isinstance(layer, keras.layers.Dropout)
        for layer in layers
        if layer._seed_generators
    )


@contextmanager
def philox_dropout():
    """Keras' TensorFlow dropout drawing its mask with the Philox algorithm.

    ``tf.nn.experimental.stateless_dropout`` leaves the algorithm to the
    device: Philox in a plain graph on the CPU, but under XLA a generator
    whose CPU code made a dropout step several times slower than the rest of
    the step (measured: 38 draws of 32 x 512 uniforms, 154 ms under XLA
    against 6 ms with Philox and 3 ms in a plain graph). Within the block,
    Keras' dropout draws Philox uniforms and applies TensorFlow's rule (keep
    where the uniform is >= ``rate``, scale the kept by ``1 / (1 - rate)``);
    outside XLA the mask is the same as TensorFlow's own.
    """
    import tensorflow as tf

    tf_random = _keras_backend.random  # the TensorFlow backend's module
    keras_dropout = tf_random.dropout

    def dropout(inputs, rate, noise_shape=None, seed=None):
        if rate in (0.0, 1.0):
            return keras_dropout(inputs, rate, noise_shape=noise_shape, seed=seed)
        seed = tf_random._cast_seed(tf_random.draw_seed(seed))
        shape = tf_random._get_concrete_noise_shape(inputs, noise_shape)
        uniform = tf.random.stateless_uniform(
            shape, seed=seed, dtype=inputs.dtype, alg="philox"
        )
        kept = inputs * tf.cast(1 / (1 - rate), inputs.dtype)
        return tf.where(uniform >= rate, kept, tf.zeros_like(kept))

    tf_random.dropout = dropout
    try:
        yield
    finally:
        tf_random.dropout = keras_dropout


def is_seed_state(variable):
    """Whether a model variable is the state of a ``SeedGenerator`` (dropout)."""
    return variable.path.endswith("seed_generator_state")


def adam_moments(optimizer, variable):
    """Adam's (or AdamW's) first and second moment variables of ``variable``."""
    index = optimizer._get_variable_index(variable)
    return optimizer._momentums[index], optimizer._velocities[index]


def learning_rate_variable(optimizer):
    """The variable holding ``optimizer``'s learning rate, or None (a schedule)."""
    learning_rate = optimizer._learning_rate
    return learning_rate if isinstance(learning_rate, keras.Variable) else None


def decays_weight(optimizer, variable):
    """Whether ``optimizer`` applies weight decay to ``variable``."""
    return optimizer.weight_decay is not None and optimizer._use_weight_decay(variable)


@contextmanager
def variables_without_values():
    """Create Keras variables that are never given values, in this block.

    For objects used only through stateless calls, which take every value as
    an argument (the engine's template models and optimizers on JAX): their
    weights would otherwise take as much memory as the user's model. Keras
    defers a variable's initialisation inside a ``StatelessScope`` and runs
    it when a later scope closes; the variables of this block are taken off
    that list, so they stay empty.
    """
    pending = _keras_global_state.get_global_attribute(
        "uninitialized_variables", [], set_to_default=True
    )
    before = len(pending)
    with _KerasStatelessScope(initialize_variables=False):
        yield
    del pending[before:]


def producing_call(tensor):
    """``(operation, input_tensors)`` of the call that produced a symbolic
    tensor of a functional model, or None (a tensor without a history)."""
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return None
    node = history.operation._inbound_nodes[history.node_index]
    return history.operation, node.input_tensors

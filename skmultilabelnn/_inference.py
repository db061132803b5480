"""Running a trained Keras model over X in fixed-shape chunks."""

import weakref

import keras
import numpy as np

from ._compat import quiet_retracing_warnings

#: Rows are padded up to a multiple of this, so that every row goes through the
#: same matrix-multiply kernel path and its output does not depend on which other
#: rows share its batch (TensorFlow's CPU kernels treat a ragged tail differently,
#: which moves outputs by about 1e-7).
ROW_MULTIPLE = 32


def predict_in_chunks(model, X, batch_size=4096):
    """Call ``model`` in inference mode on ``X``, chunk by chunk.

    Parameters
    ----------
    model : keras.Model
        A built model with one input and one output.
    X : ndarray of shape (n_samples, ...)
        Input, already validated and of the model's float dtype.
    batch_size : int, default=4096
        Rows per call (rounded up to a multiple of ``ROW_MULTIPLE``).

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs)
        The model's outputs, one row per sample, never squeezed.
    """
    n_samples = X.shape[0]
    batch_size = _round_up(max(int(batch_size), 1))
    chunks = []
    for start in range(0, n_samples, batch_size):
        chunk = X[start : start + batch_size]
        n_rows = chunk.shape[0]
        padded_rows = _round_up(n_rows)
        if padded_rows != n_rows:
            padding = np.zeros((padded_rows - n_rows, *chunk.shape[1:]), chunk.dtype)
            chunk = np.concatenate([chunk, padding])
        outputs = keras.ops.convert_to_numpy(_inference_function(model)(chunk))
        chunks.append(outputs.reshape(padded_rows, -1)[:n_rows])
    return np.concatenate(chunks)


def _round_up(n_rows):
    return -(-n_rows // ROW_MULTIPLE) * ROW_MULTIPLE


#: One compiled inference function per live model.
_COMPILED = weakref.WeakKeyDictionary()


def _inference_function(model):
    """``model(x, training=False)``, compiled once per model on TensorFlow and JAX.

    An eager call dispatches each layer's ops one by one, which costs about a
    millisecond or more per call however few rows there are; a TensorFlow graph
    (batch dimension left free: one trace) or a JAX jitted function (one trace
    per padded chunk size) runs them in one call. Other backends call the model.
    """
    backend = keras.backend.backend()
    if backend not in ("tensorflow", "jax"):
        return lambda x: model(x, training=False)
    function = _COMPILED.get(model)
    if function is None:
        function = (_traced_tensorflow if backend == "tensorflow" else _jitted_jax)(
            model
        )
        _COMPILED[model] = function
    return function


def _traced_tensorflow(model):
    import tensorflow as tf

    traced = tf.function(lambda x: model(x, training=False), reduce_retracing=True)

    def function(x):
        with quiet_retracing_warnings():
            return traced(x)

    return function


def _jitted_jax(model):
    import jax

    @jax.jit
    def call(trainable, non_trainable, x):
        return model.stateless_call(trainable, non_trainable, x, training=False)[0]

    def function(x):
        # the variables' current values, so that later training is seen
        return call(
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            x,
        )

    return function

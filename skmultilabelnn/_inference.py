"""Running a trained Keras model over X in fixed-shape chunks."""

import weakref

import keras
import numpy as np

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
    """``model(x, training=False)``, traced once into a graph on TensorFlow.

    An eager TensorFlow call dispatches each layer's ops one by one, which costs
    milliseconds per call however few rows there are; the traced graph runs
    them in one call. The batch dimension is left free, so one trace serves
    every chunk. Other backends call the model directly.
    """
    if keras.backend.backend() != "tensorflow":
        return lambda x: model(x, training=False)
    function = _COMPILED.get(model)
    if function is None:
        import tensorflow as tf

        function = tf.function(
            lambda x: model(x, training=False), reduce_retracing=True
        )
        _COMPILED[model] = function
    return function

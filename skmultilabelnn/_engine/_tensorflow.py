"""Compiled training and inference on the TensorFlow backend: ``tf.function``."""

import logging
import threading

import tensorflow as tf

from ._buckets import pad_rows
from ._data import EngineState
from ._loss import batch_loss


class _OwnRetracingFilter(logging.Filter):
    """Drop TensorFlow's "triggered tf.function retracing" warning about our functions.

    Each architecture has its own compiled functions (``_compiled`` caches
    them), each traced once per input signature; TensorFlow counts the traces
    of all of them together, as they share their code, and warns after five
    new architectures in a row (a grid search over ``hidden_layer_sizes``).
    The warning names the function, so a user's own functions still warn.
    """

    def filter(self, record):
        message = record.getMessage()
        return "triggered tf.function retracing" not in message or not any(
            f"<function {name} at" in message
            for name in (
                "compile_epoch.<locals>.traced_epoch",
                "compile_predict.<locals>.traced_predict",
            )
        )


tf.get_logger().addFilter(_OwnRetracingFilter())


def to_device(array):
    """Turn a NumPy array into a tensor (sharing its memory where TensorFlow can)."""
    return tf.convert_to_tensor(array)


def rows_to_device(array):
    """Turn an array of rows into a tensor, padded with zero rows to its bucket.

    The plain graph takes any shape once its trace is relaxed, but an XLA
    compilation is specialised to its shapes: padding rows that no batch
    indexes lets fits of nearby row counts share one.
    """
    return to_device(pad_rows(array))


def compile_epoch(
    template,
    optimizer,
    training_loss,
    collect_predictions,
    jit_compile=False,
    gathered=False,
):
    """The compiled epoch of one architecture, optimizer and loss.

    Same contract as the JAX version (see ``_jax.compile_epoch``, which
    also says what ``gathered`` means);
    ``jit_compile`` compiles the graph with XLA, which runs each step about
    three times faster after a compilation about a second longer. Keras'
    TensorFlow optimizers have no stateless update, so the traced graph loads
    the state it is given into the template's own variables, trains them for
    the epoch and returns their values; a lock keeps threads sharing the
    template from interleaving. The loop over batches is a ``tf.while_loop``
    whose length is read at run time, so any number of rows uses one trace;
    it runs over the ``n_real`` real batches only (the others pad the epoch to
    its bucket, so that an XLA compilation, specialised to the shapes, serves
    epochs of nearby lengths too; their losses stay zeros).
    """
    variables = (
        template.trainable_variables,
        template.non_trainable_variables,
        optimizer.variables,
    )

    def batch(arrays, batches, i):
        """The data of batch ``i``: gathered from the arrays, or given."""
        if gathered:
            pos, neg = arrays
            return (*(part[i] for part in batches), pos, neg)
        X, Y, W, pos, neg = arrays
        rows = batches[i]
        valid = rows >= 0
        safe_rows = tf.where(valid, rows, tf.zeros_like(rows))
        w = tf.where(valid, tf.gather(W, safe_rows), tf.zeros_like(rows, W.dtype))
        y = tf.cast(tf.gather(Y, safe_rows), W.dtype)  # held as uint8: 0/1 values
        return tf.gather(X, safe_rows), y, w, pos, neg

    def step(x, y, w, pos, neg):
        with tf.GradientTape() as tape:
            y_pred = template(x, training=True)
            value = batch_loss(training_loss, y, y_pred, w, pos, neg)
            if template.losses:
                value = value + tf.add_n(template.losses)  # regularisation
        trainable = template.trainable_variables
        optimizer.apply(tape.gradient(value, trainable), trainable)
        return value, y_pred

    @tf.function(reduce_retracing=True, jit_compile=jit_compile)
    def traced_epoch(state, arrays, batches, n_real):
        for group, values in zip(variables, state, strict=True):
            for variable, value in zip(group, values, strict=True):
                variable.assign(value)
        first = batches[0] if gathered else batches
        n_batches = tf.shape(first)[0]
        dtype = arrays[-1].dtype
        losses = tf.TensorArray(dtype, size=n_batches)
        predictions = tf.TensorArray(
            dtype,
            size=n_batches if collect_predictions else 0,
            element_shape=(first.shape[1], arrays[-1].shape[-1]),
        )
        for i in tf.range(n_real):  # the padding batches stay zeros
            value, y_pred = step(*batch(arrays, batches, i))
            losses = losses.write(i, value)
            if collect_predictions:
                predictions = predictions.write(i, y_pred)
        state = EngineState(
            *([tf.identity(v.value) for v in group] for group in variables)
        )
        if collect_predictions:
            return state, losses.stack(), predictions.stack()
        return state, losses.stack(), None

    lock = threading.Lock()

    def run_epoch(state, arrays, batches, n_real):
        with lock:
            return traced_epoch(
                EngineState(*_values(state)), arrays, batches, tf.constant(n_real)
            )

    run_epoch.traced = traced_epoch  # its traces can be counted
    return run_epoch


def compile_predict(template):
    """``predict(trainable, non_trainable, x) -> outputs``, inference mode, traced.

    The batch dimension is left free after the second size seen, so chunks
    of any size share a trace.
    """

    @tf.function(reduce_retracing=True)
    def traced_predict(trainable, non_trainable, x):
        return template.stateless_call(trainable, non_trainable, x, training=False)[0]

    def predict(trainable, non_trainable, x):
        return traced_predict(*_values((trainable, non_trainable)), x)

    predict.traced = traced_predict  # its traces can be counted
    return predict


def _values(groups):
    """Lists of variables or tensors as lists of tensors.

    A ``tf.Variable`` argument is traced as a ``VariableSpec``, a tensor as a
    ``TensorSpec``: a fit's first epoch (given the model's variables) and the
    next (given the previous epoch's tensors) would otherwise trace twice.
    """
    return tuple([tf.convert_to_tensor(v) for v in group] for group in groups)

"""Compiled training and inference on the JAX backend: ``jit`` and ``lax.scan``."""

import jax
import jax.numpy as jnp
import numpy as np

from ._buckets import pad_rows
from ._data import EngineState
from ._loss import batch_loss


def to_device(array):
    """Copy a NumPy array to JAX's default device.

    ``jax.device_put`` copies once; ``jnp.asarray`` briefly holds two copies
    of a large array (measured: 790 MB for a 381 MB X).
    """
    return jax.device_put(array)


def rows_to_device(array):
    """Copy an array of rows to the device, padded with zero rows to its bucket.

    The compiled epoch is specialised to the arrays' shapes; padding rows that
    no batch ever indexes lets fits of nearby row counts share a compilation.
    """
    return to_device(pad_rows(array))


def compile_epoch(
    template,
    optimizer,
    training_loss,
    collect_predictions,
    jit_compile=True,
    gathered=False,
):
    """The compiled epoch of one architecture, optimizer and loss.

    Parameters
    ----------
    template : keras.Model
        A model of the architecture, used only for its stateless calls: the
        compiled functions take every variable's value as an argument, so
        they serve any model of the same architecture.
    optimizer : keras.optimizers.Optimizer
        An optimizer built for ``template``'s trainable variables.
    training_loss : TrainingLoss
    collect_predictions : bool
        Whether ``run_epoch`` also returns the training predictions (for
        Keras metrics).
    jit_compile : bool, default=True
        Ignored: JAX always compiles with XLA.
    gathered : bool, default=False
        False: ``batches`` are row indices into arrays held on the device.
        True: ``batches`` are the batches' own data (for sparse X, densified
        by the caller a few batches at a time).

    Returns
    -------
    run_epoch : callable
        ``run_epoch(state, arrays, batches, n_real) -> (state, losses,
        predictions)``, one gradient step per batch, ``state`` an
        ``EngineState``. Only the first ``n_real`` batches are trained on;
        the others pad the epoch to its bucket (see ``_buckets``) and skip
        their step (``lax.cond``), giving zeros. Not
        gathered: ``arrays = (X, Y, row_weight, pos_weight, neg_weight)``
        (``Y`` may be uint8) and ``batches`` of shape ``(n_batches,
        batch_size)``, -1 for padding. Gathered: ``arrays = (pos_weight,
        neg_weight)`` and ``batches = (X, Y, row_weight)``, each of leading
        shape ``(n_batches, batch_size)``, padding of weight 0.
    """

    def loss_and_outputs(trainable, non_trainable, x, y, w, pos, neg):
        y_pred, non_trainable, losses = template.stateless_call(
            trainable, non_trainable, x, training=True, return_losses=True
        )
        value = batch_loss(training_loss, y, y_pred, w, pos, neg)
        if losses:
            value = value + sum(losses)  # regularisation terms of the layers
        return value, (non_trainable, y_pred)

    gradient = jax.value_and_grad(loss_and_outputs, has_aux=True)

    def train_step(state, x, y, w, pos, neg):
        trainable, non_trainable, optimizer_variables = state
        (value, (non_trainable, y_pred)), grads = gradient(
            trainable, non_trainable, x, y, w, pos, neg
        )
        trainable, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable
        )
        outputs = (value, y_pred) if collect_predictions else (value, None)
        return EngineState(trainable, non_trainable, optimizer_variables), outputs

    def run_epoch(state, arrays, batches, real):
        X, Y, W, pos, neg = arrays

        def train(state, rows):
            valid = rows >= 0
            safe_rows = jnp.where(valid, rows, 0)
            w = jnp.where(valid, W[safe_rows], 0.0)
            y = Y[safe_rows].astype(W.dtype)  # held as uint8: 0/1 values
            return train_step(state, X[safe_rows], y, w, pos, neg)

        return _scan_real(train, state, batches, real)

    def run_gathered(state, arrays, batches, real):
        pos, neg = arrays

        def train(state, batch):
            return train_step(state, *batch, pos, neg)

        return _scan_real(train, state, batches, real)

    compiled = jax.jit(run_gathered if gathered else run_epoch)

    def run(state, arrays, batches, n_real):
        real = np.arange(jax.tree.leaves(batches)[0].shape[0]) < n_real
        return compiled(state, arrays, batches, real)

    run.compiled = compiled  # its compilations can be counted
    return run


def _scan_real(train, state, batches, real):
    """``lax.scan`` of ``train`` over the batches whose ``real`` flag is set.

    A padding batch leaves the state as it is (no optimizer step) and gives
    zeros in place of a loss and predictions.
    """

    def step(state, inputs):
        batch, is_real = inputs

        def skip(state):
            outputs = jax.eval_shape(train, state, batch)[1]
            return state, jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), outputs)

        return jax.lax.cond(is_real, lambda s: train(s, batch), skip, state)

    state, (losses, predictions) = jax.lax.scan(step, state, (batches, real))
    return state, losses, predictions


def compile_predict(template):
    """``predict(trainable, non_trainable, x) -> outputs``, inference mode, jitted."""

    def predict(trainable, non_trainable, x):
        return template.stateless_call(trainable, non_trainable, x, training=False)[0]

    return jax.jit(predict)

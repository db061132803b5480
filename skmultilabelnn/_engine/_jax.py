"""Compiled training and inference on the JAX backend: ``jit`` and ``lax.scan``."""

import jax
import jax.numpy as jnp

from ._loss import batch_loss


def to_device(array):
    """Put a NumPy array on JAX's default device (zero-copy where JAX can)."""
    return jnp.asarray(array)


def compile_epoch(
    template, optimizer, training_loss, collect_predictions, jit_compile=True
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

    Returns
    -------
    run_epoch : callable
        ``run_epoch(state, arrays, batches) -> (state, losses, predictions)``:
        one gradient step per row of ``batches`` (row indices, -1 for
        padding), ``state = (trainable, non_trainable, optimizer_variables)``
        and ``arrays = (X, Y, row_weight, pos_weight, neg_weight)``.
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

    def run_epoch(state, arrays, batches):
        X, Y, W, pos, neg = arrays

        def step(state, rows):
            trainable, non_trainable, optimizer_variables = state
            valid = rows >= 0
            safe_rows = jnp.where(valid, rows, 0)
            w = jnp.where(valid, W[safe_rows], 0.0)
            (value, (non_trainable, y_pred)), grads = gradient(
                trainable, non_trainable, X[safe_rows], Y[safe_rows], w, pos, neg
            )
            trainable, optimizer_variables = optimizer.stateless_apply(
                optimizer_variables, grads, trainable
            )
            outputs = (value, y_pred) if collect_predictions else (value, None)
            return (trainable, non_trainable, optimizer_variables), outputs

        state, (losses, predictions) = jax.lax.scan(step, state, batches)
        return state, losses, predictions

    return jax.jit(run_epoch)


def compile_predict(template):
    """``predict(trainable, non_trainable, x) -> outputs``, inference mode, jitted."""

    def predict(trainable, non_trainable, x):
        return template.stateless_call(trainable, non_trainable, x, training=False)[0]

    return jax.jit(predict)

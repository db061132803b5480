"""Compiled training and inference on the TensorFlow backend: ``tf.function``."""

import contextlib
import logging
import threading

import tensorflow as tf

from .._compat._keras import philox_dropout
from ._buckets import pad_rows
from ._data import EngineState
from ._first_layer import dense_positions, sparse_outputs
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
                "_epoch_over.<locals>.traced_epoch",
                "_fused_epochs.<locals>.traced_epochs",
                "compile_sparse_predict.<locals>.traced_predict",
                "compile_predict.<locals>.traced_predict",
                "compile_loss.<locals>.traced_loss",
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
        safe_rows, y, w = _batch_rows(batches[i], Y, W)
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

    run_epoch = _epoch_over(variables, step, batch, collect_predictions, jit_compile)
    if not gathered:
        run_epoch.epochs = _fused_epochs(
            variables, step, batch, jit_compile, run_epoch.lock
        )
    return run_epoch


def _fused_epochs(variables, step, batch, jit_compile, lock):
    """``run_epochs(state, arrays, batches, seeds, n_real, n_epochs,
    seed_slots) -> (state, losses)``: several epochs in one traced call,
    with the contract of ``_jax._fused_epochs`` (epochs past ``n_epochs``
    are not run; their losses stay zeros)."""

    @tf.function(reduce_retracing=True, jit_compile=jit_compile)
    def traced_epochs(state, arrays, batches, seeds, n_real, n_epochs, seed_slots):
        with philox_dropout() if jit_compile else contextlib.nullcontext():
            _load_state(variables, state)
            n_batches = tf.shape(batches)[1]
            losses = tf.TensorArray(arrays[-1].dtype, size=tf.size(batches[:, :, 0]))
            for epoch in tf.range(n_epochs):
                for j, slot in enumerate(seed_slots):
                    variables[1][slot].assign(seeds[epoch, j])
                for i in tf.range(n_real):
                    value, _ = step(*batch(arrays, batches[epoch], i))
                    losses = losses.write(epoch * n_batches + i, value)
            return _stored_state(variables), tf.reshape(
                losses.stack(), tf.shape(batches)[:2]
            )

    def run_epochs(state, arrays, batches, seeds, n_real, n_epochs, seed_slots):
        with lock:
            return traced_epochs(
                EngineState(*_values(state)),
                arrays,
                batches,
                seeds,
                tf.constant(n_real),
                tf.constant(n_epochs),
                seed_slots,
            )

    run_epochs.traced = traced_epochs
    return run_epochs


def _load_state(variables, state):
    """Assign an ``EngineState``'s values to the template's ``variables``
    (trainable, non-trainable, optimizer's), inside a traced epoch."""
    for group, values in zip(variables, state, strict=True):
        for variable, value in zip(group, values, strict=True):
            variable.assign(value)


def _stored_state(variables):
    """The ``EngineState`` of the template's ``variables`` after training."""
    return EngineState(*([tf.identity(v.value) for v in group] for group in variables))


def _batch_rows(rows, Y, W):
    """``(safe_rows, y, w)`` of a batch of row indices (-1 for padding): the
    rows with padding read as row 0, their targets (held as uint8 0/1
    values) in ``W``'s dtype, and their weights, 0 for padding."""
    valid = rows >= 0
    safe_rows = tf.where(valid, rows, tf.zeros_like(rows))
    w = tf.where(valid, tf.gather(W, safe_rows), tf.zeros_like(rows, W.dtype))
    return safe_rows, tf.cast(tf.gather(Y, safe_rows), W.dtype), w


def _epoch_over(variables, step, batch, collect_predictions, jit_compile, around=None):
    """``run_epoch(state, arrays, batches, n_real)``: ``step(*batch(arrays,
    batches, i)) -> (loss, predictions)`` traced in a loop over the first
    ``n_real`` batches, on the template's ``variables`` (trainable,
    non-trainable, optimizer's), loaded from ``state`` and returned.
    ``batches`` is an array of leading dimension ``n_batches`` or a tuple of
    them. ``around``, if given, is a pair of functions called (traced)
    after the state is loaded and before it is returned.
    """

    @tf.function(reduce_retracing=True, jit_compile=jit_compile)
    def traced_epoch(state, arrays, batches, n_real):
        # traced under XLA, dropout draws Philox numbers (see philox_dropout)
        with philox_dropout() if jit_compile else contextlib.nullcontext():
            return epoch(state, arrays, batches, n_real)

    def epoch(state, arrays, batches, n_real):
        _load_state(variables, state)
        first = batches[0] if isinstance(batches, tuple) else batches
        n_batches = tf.shape(first)[0]
        # the last array is the labels' negative weights, in every layout
        weights = arrays[-1] if arrays else batches[-1]
        dtype = weights.dtype
        losses = tf.TensorArray(dtype, size=n_batches)
        predictions = tf.TensorArray(
            dtype,
            size=n_batches if collect_predictions else 0,
            element_shape=(first.shape[1], weights.shape[-1]),
        )
        if around is not None:
            around[0]()
        for i in tf.range(n_real):  # the padding batches stay zeros
            value, y_pred = step(*batch(arrays, batches, i))
            losses = losses.write(i, value)
            if collect_predictions:
                predictions = predictions.write(i, y_pred)
        if around is not None:
            around[1]()
        state = _stored_state(variables)
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
    run_epoch.lock = lock
    return run_epoch


def compile_loss(training_loss):
    """``loss(y_true, y_pred, row_weight, pos_weight, neg_weight)``, traced
    once for chunks of any size: ``batch_loss`` of ``training_loss``."""

    @tf.function(reduce_retracing=True)
    def traced_loss(y_true, y_pred, row_weight, pos_weight, neg_weight):
        return batch_loss(
            training_loss, y_true, y_pred, row_weight, pos_weight, neg_weight
        )

    return traced_loss


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


def compile_sparse_epoch(
    template, branch, optimizer, training_loss, collect_predictions, lazy_updates
):
    """The compiled epoch of a network whose first layer reads sparse X.

    Same contract as the JAX version (see ``_jax.compile_sparse_epoch``).
    The graph is never compiled with XLA: the number of rows a batch touches
    varies from batch to batch, and TensorFlow's graph takes it as it comes.
    With lazy updates, the optimizer's state for every variable but the
    kernel lives in the twin optimizer's variables (see ``_row_updates``),
    the kernel's moments in the template optimizer's.
    """
    kernel_at, bias_at = dense_positions(branch, template)
    trainable = template.trainable_variables
    kernel = trainable[kernel_at]
    bias = None if bias_at is None else trainable[bias_at]
    others = [v for i, v in enumerate(trainable) if i != kernel_at]
    n_features = template.inputs[0].shape[1]
    variables = _epoch_variables(template, optimizer, lazy_updates)
    optimizer_variables = variables[2]

    def step(touched, inverse, values, segments, y, w, pos, neg):
        present = touched < n_features  # not padding
        kernel_rows = tf.gather(kernel.value, tf.where(present, touched, 0))
        # the batch over the columns it touches: a small dense matrix
        x_local = tf.scatter_nd(
            tf.stack([segments, inverse], axis=-1),
            values,
            tf.stack([tf.shape(y)[0], tf.shape(touched)[0]]),
        )
        with tf.GradientTape() as tape:
            tape.watch(kernel_rows)
            y_pred = branch.first_output(
                x_local @ kernel_rows, None if bias is None else bias.value
            )
            if branch.tail is not None:
                y_pred = branch.tail(y_pred, training=True)
            value = batch_loss(training_loss, y, y_pred, w, pos, neg)
            if branch.tail is not None and branch.tail.losses:
                value = value + tf.add_n(branch.tail.losses)  # regularisation
        rows_grad, *other_grads = tape.gradient(value, [kernel_rows, *others])
        if lazy_updates is None:
            kernel_grad = tf.math.unsorted_segment_sum(
                rows_grad, tf.where(present, touched, 0), n_features
            )
            grads = list(other_grads)
            grads.insert(kernel_at, kernel_grad)
            optimizer.apply(grads, trainable)
        else:
            kept = tf.boolean_mask(touched, present)
            _lazy_step(lazy_updates, optimizer_variables, kernel.value, kept)(
                tf.boolean_mask(kernel_rows, present),
                tf.boolean_mask(rows_grad, present),
            )
            lazy_updates.rest_optimizer.apply(other_grads, others)
        return value, y_pred

    def batch(arrays, batches, i):
        Y, W, pos, neg = arrays
        rows, *non_zeros = (part[i] for part in batches)
        _, y, w = _batch_rows(rows, Y, W)
        return (*non_zeros, y, w, pos, neg)

    return _epoch_over(variables, step, batch, collect_predictions, jit_compile=False)


def _epoch_variables(template, optimizer, lazy_updates):
    """The variables an epoch loads and returns: the template's trainable
    and non-trainable ones and the optimizer's, in which, with lazy
    updates, the twin optimizer's stand for the template optimizer's own
    (see ``_row_updates``)."""
    optimizer_variables = list(optimizer.variables)
    if lazy_updates is not None:
        rest_optimizer = lazy_updates.rest_optimizer
        for variable, i in zip(
            rest_optimizer.variables, lazy_updates.rest_optimizer_at, strict=True
        ):
            optimizer_variables[i] = variable
    return (
        template.trainable_variables,
        template.non_trainable_variables,
        optimizer_variables,
    )


def _lazy_step(updates, optimizer_variables, kernel, touched, moments=None):
    """``apply(kernel_rows, rows_grad)``: the lazy update of the ``touched``
    rows of ``kernel`` (a ``tf.Variable``; see ``_row_updates``), before the
    twin optimizer counts the step. ``moments``: the kernel's Adam moments
    as ``tf.Variable`` (default: the optimizer's own)."""
    if moments is None:
        moments = (
            optimizer_variables[updates.momentum_at].value,
            optimizer_variables[updates.velocity_at].value,
        )
    momentum, velocity = moments

    def apply(kernel_rows, rows_grad):
        new_rows, new_momentum, new_velocity = updates.rows(
            kernel_rows,
            tf.gather(momentum, touched),
            tf.gather(velocity, touched),
            rows_grad,
            optimizer_variables[updates.learning_rate_at].value,
            optimizer_variables[updates.iterations_at].value,
        )
        for variable, rows in (
            (kernel, new_rows),
            (momentum, new_momentum),
            (velocity, new_velocity),
        ):
            variable.scatter_update(tf.IndexedSlices(rows, touched))

    return apply


def compile_sampled_epoch(template, split, optimizer, training_loss, lazy_updates):
    """The compiled epoch of a network trained on sampled labels.

    Same contract as the JAX version (see ``_jax.compile_sampled_epoch``).
    Not compiled with XLA: the labels a batch samples change in number, and
    the graph takes them as they come. With lazy updates, the optimizer's
    state for every variable but the output kernel lives in the twin
    optimizer's variables (see ``_row_updates``), and the steps train
    transposed copies of the kernel and its moments, loaded at the start of
    a call and stored back at its end: a step then gathers and scatters
    rows, which TensorFlow updates in place a row at a time.
    """
    kernel_at, bias_at = dense_positions(split, template)
    trainable = template.trainable_variables
    kernel = trainable[kernel_at]
    n_labels = kernel.shape[1]
    # every trainable variable but the kernel, in the model's order
    rest_at = [i for i in range(len(trainable)) if i != kernel_at]
    body_at = [i for i in rest_at if i != bias_at]
    variables = _epoch_variables(template, optimizer, lazy_updates)
    optimizer_variables = variables[2]
    around = shadows = None
    if lazy_updates is not None:
        originals = [
            kernel,
            optimizer_variables[lazy_updates.momentum_at],
            optimizer_variables[lazy_updates.velocity_at],
        ]
        shadows = [
            tf.Variable(tf.zeros(v.shape[::-1], v.dtype), trainable=False)
            for v in originals
        ]

        def load():
            for original, shadow in zip(originals, shadows, strict=True):
                shadow.assign(tf.transpose(original.value))

        def store():
            for original, shadow in zip(originals, shadows, strict=True):
                original.assign(tf.transpose(shadow))

        around = (load, store)

    def step(x, y, w, labels, pos, neg):
        present = labels < n_labels  # not padding
        safe = tf.where(present, labels, 0)
        if shadows is None:
            part = tf.gather(kernel.value, safe, axis=1)
        else:
            part = tf.gather(shadows[0], safe)
        bias = None if bias_at is None else tf.gather(trainable[bias_at].value, safe)
        with tf.GradientTape() as tape:
            tape.watch(part)
            if bias is not None:
                tape.watch(bias)
            columns = part if shadows is None else tf.transpose(part)
            hidden = x if split.body is None else split.body(x, training=True)
            y_pred = split.outputs(hidden, columns, bias)
            value = batch_loss(training_loss, y, y_pred, w, pos, neg)
            if split.body is not None and split.body.losses:
                value = value + tf.add_n(split.body.losses)  # regularisation
        part_grad, bias_grad, *body_grads = tape.gradient(
            value, [part, bias, *(trainable[i] for i in body_at)]
        )
        grads = dict(zip(body_at, body_grads, strict=True))
        if bias_at is not None:
            grads[bias_at] = tf.math.unsorted_segment_sum(
                tf.where(present, bias_grad, 0), safe, n_labels
            )
        if shadows is None:
            grads[kernel_at] = tf.transpose(
                tf.math.unsorted_segment_sum(
                    tf.transpose(tf.where(present, part_grad, 0)), safe, n_labels
                )
            )
            optimizer.apply([grads[i] for i in range(len(trainable))], trainable)
        else:
            kept = tf.boolean_mask(labels, present)
            _lazy_step(
                lazy_updates, optimizer_variables, shadows[0], kept, shadows[1:]
            )(tf.boolean_mask(part, present), tf.boolean_mask(part_grad, present))
            lazy_updates.rest_optimizer.apply(
                [grads[i] for i in rest_at], [trainable[i] for i in rest_at]
            )
        return value, y_pred

    def batch(arrays, batches, i):
        x, y, w, labels, pos, neg = (part[i] for part in batches)
        return x, tf.cast(y, w.dtype), w, labels, pos, neg

    return _epoch_over(variables, step, batch, False, jit_compile=False, around=around)


def compile_sparse_predict(branches):
    """``predict(trainable, non_trainable, x, n_rows) -> outputs`` for sparse
    chunks, traced once per ``n_rows`` (see ``_first_layer.sparse_outputs``)."""

    @tf.function(reduce_retracing=True)
    def traced_predict(trainable, non_trainable, x, n_rows):
        return sparse_outputs(branches, trainable, non_trainable, x, n_rows)

    def predict(trainable, non_trainable, x, n_rows):
        trainable = [
            (
                tf.convert_to_tensor(kernel),
                None if bias is None else tf.convert_to_tensor(bias),
                *_values((tail,)),
            )
            for kernel, bias, tail in trainable
        ]
        return traced_predict(trainable, list(_values(non_trainable)), x, n_rows)

    predict.traced = traced_predict  # its traces can be counted
    return predict

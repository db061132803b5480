"""The epoch loop: compiled epochs, Keras callbacks, validation, history."""

import math

import keras
import numpy as np
import scipy.sparse

from .._compat._keras import compile_metrics, draws_dropout_only, is_seed_state
from ._buckets import bucket, pad_batches, padded_blocks
from ._compiled import compiled_network
from ._data import EngineState, dense
from ._first_layer import dense_positions
from ._inference import ROW_MULTIPLE, predict_with_values
from ._prefetch import prefetched
from ._roc_auc import macro_roc_auc
from ._sampled_labels import LabelSampler, prior_log_odds, with_label_weights
from ._sparse_rows import (
    sparse_groups,
    touched_columns,
    trains_through_sparse_product,
)

#: Rows per call when predicting on validation rows.
VALIDATION_CHUNK = 4096

#: Largest block of densified rows of a sparse X, in bytes.
BLOCK_BYTES = 32 * 2**20

#: A dense X larger than this stays on the host and goes to the device a
#: block of batches at a time, as a sparse X does, instead of whole: each
#: block is gathered while the device trains on the one before (see
#: ``_prefetch``), which measured as fast as training from a copy of X on the
#: device from about four blocks up, and saves the copy's memory (a fit on
#: 1,000,000 x 100 float32, 381 MB: peak extra memory 1,070 -> 450 MB on
#: TensorFlow, 540 -> 360 MB on JAX).
HOST_X_BYTES = 4 * BLOCK_BYTES

#: Non-zeros of a sparse X sent to the device at a time, about (a block of
#: batches' padded columns, values and rows: 12 bytes each).
BLOCK_ENTRIES = 2**22


def run_epochs(model, training_loss, data, options):
    """Train ``model`` for ``options.epochs`` passes with the compiled engine.

    Each epoch is one call into a compiled function that runs all its
    gradient steps over the data held on the device. The weights stay in the
    engine's hands between epochs and are written back to ``model`` at the
    end, or after every epoch when there are callbacks, which may read them.

    Parameters
    ----------
    model : keras.Model
        A compiled model (its optimizer and metrics are used).
    training_loss : TrainingLoss
    data : TrainingData
    options : TrainingOptions

    Returns
    -------
    history : dict of str to list of float
    """
    metrics = compile_metrics(model)
    network = compiled_network(model)
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    width = min(options.batch_size, data.train_rows.shape[0])
    n_batches = math.ceil(data.train_rows.shape[0] / width)
    seed_slots = [
        i for i, v in enumerate(model.non_trainable_variables) if is_seed_state(v)
    ]
    _, Y, W = data.arrays()
    to_device = network.module.to_device
    run_epoch, arrays, gathered = _epoch_function(
        network, model, metrics, training_loss, data, options, width, seed_slots
    )

    # The weights live in ``state`` during training; the model's own variables
    # are updated after each epoch only when a callback may read them.
    sync_each_epoch = bool(options.callbacks)
    # the batch events reach callbacks and the progress bar only (Keras'
    # History ignores them; it makes each one cost a thread hand-off)
    batch_events = sync_each_epoch or options.verbose != 0
    first, stop = options.initial_epoch, options.initial_epoch + options.epochs
    callback_list = keras.callbacks.CallbackList(
        options.callbacks,
        add_history=True,
        add_progbar=options.verbose != 0,
        model=model,
        verbose=options.verbose,
        epochs=stop,
        steps=n_batches,
    )
    copy_weights = None
    if getattr(run_epoch, "donates_state", False):
        copy_weights = network.module.copy_weights
    stopper = (
        None
        if options.early_stopping is None
        else _BestEpochKeeper(options.early_stopping, copy_weights)
    )
    history = {}
    model.stop_training = False
    callback_list.on_train_begin()
    logs = {}
    state = _read_state(model)
    fused = getattr(run_epoch, "epochs", None)
    if (
        fused is not None
        and not (batch_events or metrics is not None or stopper is not None)
        and data.validation_rows is None
        and stop - first > 1
    ):
        # nothing to do between epochs: a call runs many of them
        state, logs = _run_fused(
            fused, state, arrays, W, model, data, options, width, seed_slots, history
        )
        for epoch in range(first, stop):
            callback_list.on_epoch_begin(epoch)
            callback_list.on_epoch_end(epoch, {"loss": history["loss"][epoch - first]})
    else:
        for epoch in range(first, stop):
            callback_list.on_epoch_begin(epoch)
            rng, batches = _epoch_batches(options, data, width, epoch)
            row_batches = batches
            if sync_each_epoch:
                state = _read_state(model)  # a callback may have changed them
            for slot in seed_slots:
                state.non_trainable[slot] = _seed_state(
                    rng, model.non_trainable_variables[slot]
                )
            if batch_events:
                callback_list.on_train_batch_begin(0)
            if not gathered:
                padded, n_real = pad_batches(batches)
                state, losses, predictions = _real_batches(
                    run_epoch(state, arrays, to_device(padded), n_real), n_real
                )
            else:
                state, losses, predictions = run_epoch(state, arrays, batches, rng)
            state = EngineState(*(list(part) for part in state))
            logs = {"loss": _epoch_loss(losses, row_batches)}
            if metrics is not None:
                logs.update(_metric_logs(metrics, Y, W, row_batches, predictions))
            if batch_events:
                callback_list.on_train_batch_end(n_batches - 1, logs)
            if data.validation_rows is not None:
                logs.update(
                    _validation_logs(
                        network,
                        state,
                        training_loss,
                        data,
                        metrics,
                        options.roc_auc_rows,
                    )
                )
            _check_finite(logs, epoch, W)
            if sync_each_epoch:
                _write_state(model, state)
            callback_list.on_epoch_end(epoch, logs)
            for name, value in logs.items():
                history.setdefault(name, []).append(value)
            if stopper and stopper.update(logs, state):
                state = stopper.restored(state)
                break
            if model.stop_training:
                break
    if not sync_each_epoch or stopper:
        _write_state(model, state)
    callback_list.on_train_end(logs)
    return history


def _epoch_function(
    network, model, metrics, training_loss, data, options, width, seed_slots
):
    """The fit's epoch function and the arrays it takes: ``(run_epoch,
    arrays, gathered)``, ``gathered`` whether ``run_epoch`` takes an epoch's
    row batches and sends them to the device a block at a time (sparse X
    densified or a sparse Y's rows; else the padded batches go to the
    device whole).

    Sampled labels, the first layer's sparse product on sparse X, or the
    network's own epoch (XLA on TensorFlow for long fits).
    """
    X, Y, W = data.arrays()
    pos, neg = training_loss.weights(Y.shape[1], Y.dtype)
    to_device = network.module.to_device
    optimizer = model.optimizer
    n_batches = math.ceil(data.train_rows.shape[0] / width)
    sparse = scipy.sparse.issparse(data.X)
    # batches sent a block at a time: sparse X densified, a large dense X's
    # rows, or a sparse Y's rows
    gathered = sparse or X.nbytes > HOST_X_BYTES or scipy.sparse.issparse(data.Y)
    if options.samples_labels(Y.shape[1]):
        if metrics is not None:
            raise ValueError(
                "sampled_labels computes the outputs of each batch's sampled "
                "labels only, so the model's training metrics cannot be "
                "computed: compile the model without metrics, or set "
                "sampled_labels=None."
            )
        run_epoch, arrays = _sampled_label_epochs(
            network,
            model.trainable_variables,
            optimizer,
            training_loss,
            data,
            options,
            width,
        )
        return run_epoch, arrays, True
    if (
        sparse
        and _has_sparse_product(network)
        and trains_through_sparse_product(X, width)
    ):
        run_epoch, arrays = _sparse_product_epochs(
            network, optimizer, training_loss, metrics is not None, data, options
        )
    else:
        run_epoch = network.epoch_function(
            optimizer,
            training_loss,
            metrics is not None,
            n_steps=options.epochs * n_batches,
            gathered=gathered,
            # XLA draws dropout's numbers fast, other layers' slowly
            draws_random_numbers=bool(seed_slots) and not draws_dropout_only(model),
        )
        if gathered:
            # batches densified on the host, a block of them at a time
            arrays = (to_device(pos), to_device(neg))
            run_epoch = _in_blocks(run_epoch, data, width, to_device)
        else:
            # encoded targets are 0/1: a quarter of the memory as uint8
            rows_to_device = network.module.rows_to_device
            arrays = (
                *(rows_to_device(a) for a in (X, Y.astype(np.uint8), W)),
                to_device(pos),
                to_device(neg),
            )
    return run_epoch, arrays, gathered


#: Row indices a fused call takes at most (4 bytes each): epochs per call are
#: as many as fit, and a bucket of them (see ``_buckets``).
FUSED_ROWS = 2**20


def _run_fused(
    fused, state, arrays, W, model, data, options, width, seed_slots, history
):
    """Train the epochs ``options`` asks for, many per compiled call (see
    ``_jax._fused_epochs``), with the batches and dropout seeds each epoch
    would have drawn on its own; their losses are added to ``history``.
    Returns ``(state, logs)``, the last epoch's logs."""
    first, stop = options.initial_epoch, options.initial_epoch + options.epochs
    per_call = min(stop - first, max(1, FUSED_ROWS // data.train_rows.shape[0]))
    # the seed generators' states: one dtype, Keras' seed dtype
    seed_dtype = (
        model.non_trainable_variables[seed_slots[0]].dtype if seed_slots else "int64"
    )
    logs = {}
    for start in range(first, stop, per_call):
        epochs = range(start, min(start + per_call, stop))
        n_calls_epochs = bucket(per_call)
        epoch_batches = []
        seeds = np.zeros((n_calls_epochs, len(seed_slots), 2), dtype=seed_dtype)
        for i, epoch in enumerate(epochs):
            rng, batches = _epoch_batches(options, data, width, epoch)
            epoch_batches.append(batches)
            seeds[i, :, 0] = [_draw_seed(rng) for _ in seed_slots]
        padded = [pad_batches(batches)[0] for batches in epoch_batches]
        n_real = epoch_batches[0].shape[0]
        padding = np.full_like(padded[0], -1)
        padded += [padding] * (n_calls_epochs - len(padded))
        state, losses = fused(
            state,
            arrays,
            np.stack(padded),
            seeds,
            n_real,
            len(epochs),
            tuple(seed_slots),
        )
        state = EngineState(*(list(part) for part in state))
        losses = np.asarray(losses)
        for i, epoch in enumerate(epochs):
            logs = {"loss": _epoch_loss(losses[i, :n_real], epoch_batches[i])}
            _check_finite(logs, epoch, W)
            history.setdefault("loss", []).append(logs["loss"])
    return state, logs


class _BestEpochKeeper:
    """Keras' ``EarlyStopping(restore_best_weights=True)``, on the engine's state.

    Stops when the monitored value has not improved for ``patience`` epochs
    and restores the state of the best epoch, without reading the model's
    weights back at every epoch.
    """

    def __init__(self, early_stopping, copy_weights=None):
        self.monitor = early_stopping.monitor
        self.patience = early_stopping.patience
        # the value kept is the one to minimise
        self.sign = -1.0 if early_stopping.higher_is_better else 1.0
        self.copy_weights = copy_weights
        self.best = np.inf
        self.best_state = None
        self.wait = 0

    def update(self, logs, state):
        """Record an epoch; return whether training should stop.

        With ``copy_weights`` (epochs that reuse the memory of the state they
        are given), the best epoch's weights are kept as a copy, without the
        optimizer's state: the state restored at the end is the best
        weights with the last epoch's optimizer state, as Keras'
        ``EarlyStopping`` restores them (a wide first layer's Adam moments
        would double the copy).
        """
        value = self.sign * logs[self.monitor]
        if value < self.best:
            if self.copy_weights is not None:
                state = self.copy_weights(state)
            self.best, self.best_state, self.wait = value, state, 0
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restored(self, state):
        """The state to keep when training stops at ``state``: the best one."""
        best = self.best_state
        if best.optimizer is None:
            return EngineState(best.trainable, best.non_trainable, state.optimizer)
        return best


def _epoch_batches(options, data, width, epoch):
    """``(rng, batches)`` of epoch ``epoch``: its generator, after drawing
    the order of the training rows (shuffled or not) cut into batches."""
    rng = options.random_state.for_epoch(epoch)
    rows = rng.permutation(data.train_rows) if options.shuffle else data.train_rows
    return rng, _batches(rows, width)


def _batches(rows, width):
    """Rows as a ``(n_batches, width)`` int32 array, the last one padded with -1."""
    n_batches = math.ceil(rows.shape[0] / width)
    batches = np.full(n_batches * width, -1, dtype=np.int32)
    batches[: rows.shape[0]] = rows
    return batches.reshape(n_batches, width)


def _has_sparse_product(network):
    """Whether ``network`` trains on sparse X without densifying it: one
    chain from a plain ``Dense`` first layer, on a backend that has it."""
    branches = network.sparse_branches()
    return (
        branches is not None
        and len(branches) == 1
        and hasattr(network.module, "compile_sparse_epoch")
    )


def _sparse_product_epochs(network, optimizer, training_loss, collect, data, options):
    """``(run_epoch, arrays)`` for sparse X through the first layer's sparse
    product: the targets and weights on the device (a sparse Y's rows sent
    with each block instead), the batches' non-zeros sent a block of batches
    at a time."""
    module = network.module
    run_epoch = network.sparse_epoch_function(
        optimizer, training_loss, collect, lazy=options.sparse_updates == "lazy"
    )
    X, Y, W = data.arrays()
    pos, neg = training_loss.weights(Y.shape[1], Y.dtype)
    weights = (module.to_device(pos), module.to_device(neg))
    sparse_targets = scipy.sparse.issparse(Y)
    arrays = weights
    if not sparse_targets:
        arrays = (
            module.rows_to_device(Y.astype(np.uint8)),
            module.rows_to_device(W),
            *weights,
        )
    X = scipy.sparse.csr_matrix(X)
    entries_per_row = max(1.0, X.nnz / max(X.shape[0], 1))
    # the widest blocks sent so far: later ones are padded to them, so that
    # the fit compiles its epoch a few times at most
    widest = {"length": 1, "touched": 1}

    def blocks(batches):
        width = batches.shape[1]
        per_block = max(1, int(BLOCK_ENTRIES // (2 * entries_per_row * width)))
        if sparse_targets:
            per_block = min(per_block, _batches_per_block(Y, width))
        for padded, n_real in padded_blocks(batches, per_block):
            columns, values, segments = sparse_groups(X, padded, widest["length"])
            touched, inverse = touched_columns(columns, X.shape[1], widest["touched"])
            widest.update(length=columns.shape[1], touched=touched.shape[1])
            targets = ()
            if sparse_targets:
                # the block's rows, numbered from 0, and their targets
                padded, block_Y, block_W = _block_targets(padded, Y, W, per_block)
                targets = (module.to_device(block_Y), module.to_device(block_W))
            block = (padded, touched, inverse, values, segments)
            yield targets, tuple(map(module.to_device, block)), n_real

    def run(state, arrays, batches, rng):
        block_arrays = (
            ((*targets, *arrays), block, n_real)
            for targets, block, n_real in blocks(batches)
        )
        return _over_blocks(run_epoch, state, block_arrays)

    run.donates_state = getattr(run_epoch, "donates_state", False)
    return run, arrays


def _batches_per_block(Y, width):
    """Batches per block whose densified targets take at most ``BLOCK_BYTES``
    (as uint8)."""
    return max(1, BLOCK_BYTES // (width * Y.shape[1]))


def _block_targets(padded, Y, W, per_block):
    """A block's batches renumbered from 0, with its rows' dense targets
    (uint8) and weights, padded to ``per_block`` full batches (so that every
    block has one shape); padding rows stay -1."""
    rows = padded.ravel()
    valid = rows >= 0
    n_rows = per_block * padded.shape[1]
    block_Y = np.zeros((n_rows, Y.shape[1]), dtype=np.uint8)
    block_W = np.zeros(n_rows, dtype=W.dtype)
    kept = rows[valid]
    local = np.arange(kept.shape[0])
    block_Y[local] = Y[kept].toarray()
    block_W[local] = W[kept]
    renumbered = np.full(rows.shape, -1, dtype=padded.dtype)
    renumbered[valid] = local
    return renumbered.reshape(padded.shape), block_Y, block_W


def _in_blocks(run_epoch, data, width, to_device):
    """Run a gathered epoch function over rows gathered a few batches at a time.

    Sparse X is densified and a sparse Y's rows are too, a block of batches
    at a time; each block holds at most ``BLOCK_BYTES`` of dense rows, so
    memory grows with the batch, the features and the labels, never with
    the number of rows.
    """
    X, Y, W = data.arrays()
    row_bytes = int(np.prod(X.shape[1:])) * X.dtype.itemsize
    row_bytes += Y.shape[1] * Y.dtype.itemsize
    per_block = max(1, BLOCK_BYTES // (width * row_bytes))

    def blocks(batches):
        for padded, n_real in padded_blocks(batches, per_block):
            block_X, block_W = _dense_rows(X, W, padded)
            safe = np.maximum(padded.ravel(), 0)
            block_Y = dense(Y[safe]).reshape(*padded.shape, Y.shape[1])
            block = tuple(map(to_device, (block_X, block_Y, block_W)))
            yield block, n_real

    def run(state, arrays, batches, rng):
        return _over_blocks(
            run_epoch, state, ((arrays, block, n) for block, n in blocks(batches))
        )

    return run


def _dense_rows(X, W, padded):
    """A block's rows of ``X`` (densified) and ``W``, shaped like ``padded``
    (row indices, -1 for padding rows, which get zeros)."""
    rows = padded.ravel()
    valid = rows >= 0
    safe = np.where(valid, rows, 0)
    block_X = dense(X[safe])
    block_X[~valid] = 0
    block_W = np.where(valid, W[safe], 0)
    return (
        block_X.reshape(*padded.shape, *X.shape[1:]),
        block_W.reshape(padded.shape),
    )


def _sampled_label_epochs(
    network, model_variables, optimizer, training_loss, data, options, width
):
    """``(run_epoch, arrays)`` of steps on sampled labels (see
    ``_sampled_labels``): a block of batches at a time, their rows (a sparse
    X densified), each batch's labels and their targets and weights.

    A new network (``options.initial_epoch`` 0) starts with its output
    bias at each label's log-odds in the training rows
    (``model_variables``, the model's trainable variables, are set).
    """
    split = network.output_split()
    if split is None:
        raise ValueError(
            "sampled_labels needs a network that is one chain of layers "
            "ending in a Dense layer with a sigmoid activation (no "
            "regulariser, constraint or quantization on it); got "
            f"{network.template.name!r}. Set sampled_labels=None."
        )
    module = network.module
    X, Y, W = data.arrays()
    n_labels = Y.shape[1]
    if options.initial_epoch == 0:
        _, bias_at = dense_positions(split, network.template)
        if bias_at is not None:
            bias = model_variables[bias_at]
            bias.assign(prior_log_odds(Y, data.train_rows).astype(bias.dtype))
    training_loss = with_label_weights(training_loss, n_labels, W.dtype)
    run_epoch = network.sampled_epoch_function(optimizer, training_loss)
    sampler = LabelSampler(
        Y, *training_loss.weights(n_labels, W.dtype), options.sampled_labels
    )
    # a batch's labels: its positive ones and the drawn ones, about
    labels_a_row = _nnz(Y) / max(Y.shape[0], 1)
    n_columns = min(n_labels, options.sampled_labels + 2 * width * labels_a_row)
    row_bytes = int(np.prod(X.shape[1:])) * X.dtype.itemsize + int(n_columns)
    per_block = max(1, BLOCK_BYTES // (width * row_bytes))

    def blocks(batches, rng):
        for padded, n_real in padded_blocks(batches, per_block):
            block_X, block_W = _dense_rows(X, W, padded)
            labels, targets, pos, neg = sampler.block(padded, rng)
            block = (block_X, targets, block_W, labels, pos, neg)
            yield tuple(map(module.to_device, block)), n_real

    def run(state, arrays, batches, rng):
        return _over_blocks(
            run_epoch, state, ((arrays, block, n) for block, n in blocks(batches, rng))
        )

    run.donates_state = getattr(run_epoch, "donates_state", False)
    return run, ()


def _nnz(Y):
    return Y.nnz if scipy.sparse.issparse(Y) else int(np.count_nonzero(Y))


def _over_blocks(run_epoch, state, blocks):
    """``run_epoch`` over an epoch's ``(arrays, block, n_real)`` triples, one
    after the other: ``(state, losses, predictions)`` of the whole epoch."""
    losses, predictions = [], []
    for arrays, block, n_real in prefetched(blocks):
        state, block_losses, block_predictions = _real_batches(
            run_epoch(state, arrays, block, n_real), n_real
        )
        losses.append(np.asarray(block_losses))
        if block_predictions is not None:
            predictions.append(np.asarray(block_predictions))
    return (
        state,
        np.concatenate(losses),
        np.concatenate(predictions) if predictions else None,
    )


def _real_batches(outputs, n_real):
    """An epoch function's ``(state, losses, predictions)`` without the
    padding batches' zeros."""
    state, losses, predictions = outputs
    # sliced as NumPy arrays: slicing a device array dispatches an operation
    if predictions is not None:
        predictions = np.asarray(predictions)[:n_real]
    return state, np.asarray(losses)[:n_real], predictions


def _read_state(model):
    return EngineState(
        trainable=[v.value for v in model.trainable_variables],
        non_trainable=[v.value for v in model.non_trainable_variables],
        optimizer=[v.value for v in model.optimizer.variables],
    )


def _write_state(model, state):
    for variables, values in (
        (model.trainable_variables, state.trainable),
        (model.non_trainable_variables, state.non_trainable),
        (model.optimizer.variables, state.optimizer),
    ):
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)


def _seed_state(rng, variable):
    """A fresh state for a dropout layer's seed generator, drawn from ``rng``."""
    return keras.ops.convert_to_tensor([_draw_seed(rng), 0], dtype=variable.dtype)


def _draw_seed(rng):
    return int(rng.integers(1, 2**30))


def _epoch_loss(losses, batches):
    """Mean of the batch losses weighted by their rows, as Keras reports it."""
    rows_per_batch = (batches >= 0).sum(axis=1)
    losses = np.asarray(losses, dtype=np.float64)
    return float(losses @ rows_per_batch / rows_per_batch.sum())


def _metric_logs(metrics, Y, W, batches, predictions):
    """Keras metrics of the predictions made while training, as Model.fit's."""
    rows = batches.ravel()
    kept = rows >= 0
    predictions = np.asarray(predictions).reshape(rows.shape[0], -1)[kept]
    rows = rows[kept]
    metrics.reset_state()
    metrics.update_state(dense(Y[rows]), predictions, sample_weight=W[rows])
    return _metric_results(metrics)


def _metric_results(metrics):
    return {name: float(value) for name, value in metrics.result().items()}


def _validation_logs(network, state, training_loss, data, metrics, auc_rows=None):
    """The validation loss (and metrics), a chunk of rows at a time.

    For a sparse Y, a chunk's targets and outputs take at most
    ``BLOCK_BYTES`` each, so that a Y of many labels is never densified
    whole; the loss is the mean of the chunks' losses weighted by their rows
    of non-zero weight, the loss of all the rows at once. A dense Y is one
    chunk. With ``auc_rows`` (validation rows, sorted), the outputs of those
    rows are kept and give ``val_roc_auc``.
    """
    rows = data.validation_rows
    n_labels = data.Y.shape[1]
    pos, neg = training_loss.weights(n_labels, data.Y.dtype)
    step = rows.shape[0]
    if scipy.sparse.issparse(data.Y):
        step = max(1, min(VALIDATION_CHUNK, BLOCK_BYTES // (4 * n_labels)))
    total, counted = 0.0, 0
    loss = network.loss_function(training_loss)
    if metrics is not None:
        metrics.reset_state()
    kept = []
    for start in range(0, rows.shape[0], step):
        chunk = rows[start : start + step]
        y_val, w_val = dense(data.Y[chunk]), data.row_weight[chunk]
        y_pred = predict_with_values(
            network,
            state.trainable,
            state.non_trainable,
            data.X[chunk],
            batch_size=VALIDATION_CHUNK,
        )
        value = loss(*_padded(y_val, y_pred, w_val), pos, neg)
        n_rows = max(int(np.count_nonzero(w_val)), 1)
        total += float(keras.ops.convert_to_numpy(value)) * n_rows
        counted += n_rows
        if metrics is not None:
            metrics.update_state(y_val, y_pred, sample_weight=w_val)
        if auc_rows is not None:
            y_pred = keras.ops.convert_to_numpy(y_pred)
            if auc_rows is rows:  # every validation row is scored
                kept.append((y_val, y_pred, w_val))
            else:
                scored = np.isin(chunk, auc_rows)
                kept.append((y_val[scored], y_pred[scored], w_val[scored]))
    logs = {"val_loss": total / counted}
    if auc_rows is not None:
        parts = zip(*kept, strict=True)
        logs["val_roc_auc"] = macro_roc_auc(*(np.concatenate(p) for p in parts))
    if metrics is not None:
        logs.update({f"val_{k}": v for k, v in _metric_results(metrics).items()})
    return logs


def _padded(y_true, y_pred, row_weight):
    """A chunk's arrays padded to their row bucket, so that one compiled loss
    serves nearby row counts: copies of the first row, of weight 0 (a row of
    weight 0 counts neither in the loss nor in the number of rows, and a
    copy of a real row keeps the loss finite where the real rows' is)."""
    n_rows = row_weight.shape[0]
    padded = bucket(n_rows, multiple=ROW_MULTIPLE)
    if padded == n_rows or n_rows == 0:
        return y_true, y_pred, row_weight
    first = np.zeros(padded - n_rows, dtype=np.intp)
    return (
        np.concatenate([y_true, y_true[first]]),
        np.concatenate([y_pred, y_pred[first]]),
        np.concatenate([row_weight, np.zeros(padded - n_rows, row_weight.dtype)]),
    )


#: Row weights above this make the likely cause of a diverged fit the weights
#: (each one multiplies its rows' gradients), not X or the learning rate.
LARGE_ROW_WEIGHT = 1e3


def _check_finite(logs, epoch, row_weight):
    bad = {name: value for name, value in logs.items() if not np.isfinite(value)}
    if not bad:
        return
    largest = float(np.max(row_weight, initial=0.0))
    if largest > LARGE_ROW_WEIGHT:
        raise ValueError(
            f"Training diverged at epoch {epoch + 1}: {bad} is not finite. The "
            f"sample weights reach {largest:.3g} (sample_weight, times "
            "class_weight for a multiclass target), which multiplies the "
            "gradients as much: scale sample_weight down, for example to a mean "
            "of 1 (a factor common to all weights only scales the steps)."
        )
    raise ValueError(
        f"Training diverged at epoch {epoch + 1}: {bad} is not finite. Scale "
        "X (for example with sklearn.preprocessing.StandardScaler) or lower "
        "learning_rate."
    )

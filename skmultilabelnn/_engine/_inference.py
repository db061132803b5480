"""Running a trained Keras model over X in fixed-shape chunks."""

import keras
import numpy as np
import scipy.sparse

from ._buckets import bucket
from ._compiled import compiled_network, has_engine
from ._sparse_rows import prefers_sparse_product, row_starts, sparse_groups

#: Rows are padded up to a multiple of this, so that every row goes through the
#: same matrix-multiply kernel path and its output does not depend on which other
#: rows share its batch (TensorFlow's CPU kernels treat a ragged tail differently,
#: which moves outputs by about 1e-7).
ROW_MULTIPLE = 32

#: Largest chunk of densified rows of a sparse X, or of kernel rows gathered
#: for its non-zeros (the sparse product), in bytes.
CHUNK_BYTES = 32 * 2**20


def predict_in_chunks(model, X, batch_size=4096):
    """Call ``model`` in inference mode on ``X``, chunk by chunk.

    On TensorFlow and JAX the call is compiled once per architecture (the
    engine's cache) and given the model's current weights; elsewhere the
    model is called eagerly.

    Parameters
    ----------
    model : keras.Model or callable
        A built model with one input and one output, or a function of a
        chunk of ``X`` returning its outputs.
    X : ndarray of shape (n_samples, ...) or sparse matrix
        Input, already validated and of the model's float dtype. A sparse X
        goes through the first layer's sparse product where the network
        allows (see ``_first_layer``); otherwise its rows are densified one
        chunk at a time, chunks of at most ``CHUNK_BYTES``.
    batch_size : int, default=4096
        Rows per call (rounded up to a multiple of ``ROW_MULTIPLE``). A
        shorter last chunk is padded with zero rows to its bucket (a
        multiple of ``ROW_MULTIPLE``, see ``_buckets``), so that calls on
        nearby row counts share a compilation.

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs)
        The model's outputs, one row per sample, never squeezed.
    """
    if isinstance(model, keras.Model) and has_engine():
        return predict_with_values(
            compiled_network(model),
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            X,
            batch_size,
        )
    call = (
        (lambda x: model(x, training=False))
        if isinstance(model, keras.Model)
        else model
    )
    return _dense_chunks(call, X, batch_size)


def predict_with_values(network, trainable, non_trainable, X, batch_size=4096):
    """``predict_in_chunks`` of the compiled ``network`` with these variable
    values (lists in the model's order)."""
    if (
        scipy.sparse.issparse(X)
        and network.sparse_branches() is not None
        and prefers_sparse_product(X)
    ):
        return _sparse_chunks(network, trainable, non_trainable, X, batch_size)
    predict = network.predict_function()
    return _dense_chunks(lambda x: predict(trainable, non_trainable, x), X, batch_size)


def _sparse_chunks(network, trainable, non_trainable, X, batch_size):
    """Outputs of sparse X through the first layers' sparse products.

    Where the product gathers one kernel row per non-zero (per branch)
    before summing them per sample, chunks are cut so that the gathered rows
    take at most ``CHUNK_BYTES``; where it is a sparse-dense product kernel
    (``predict.gathers_rows`` false), so that the first layers' outputs do.
    """
    predict = network.sparse_predict_function()
    values = network.branch_values(trainable, non_trainable)
    X = scipy.sparse.csr_matrix(X)
    n_samples = X.shape[0]
    units = sum(branch.dense.units for branch in network.sparse_branches())
    row_bytes = units * X.dtype.itemsize
    if getattr(predict, "gathers_rows", True):
        row_bytes *= max(1.0, X.nnz / max(n_samples, 1))
    batch_size = min(int(batch_size), max(1, int(CHUNK_BYTES // row_bytes)))
    batch_size = _round_up(max(batch_size, 1))
    chunks = []
    for start in range(0, n_samples, batch_size):
        n_rows = min(batch_size, n_samples - start)
        padded_rows = bucket(n_rows, multiple=ROW_MULTIPLE)
        rows = np.full((1, padded_rows), -1, dtype=np.int64)
        rows[0, :n_rows] = np.arange(start, start + n_rows)
        groups = [part[0] for part in sparse_groups(X, rows)]
        groups.append(row_starts(X, rows[0], groups[0].shape[0]))
        x = tuple(map(network.module.to_device, groups))
        outputs = keras.ops.convert_to_numpy(predict(*values, x, padded_rows))
        chunks.append(outputs[:n_rows])
    return np.concatenate(chunks)


def _dense_chunks(call, X, batch_size):
    """Outputs of ``call`` on fixed-shape chunks of X (sparse rows densified)."""
    n_samples = X.shape[0]
    sparse = scipy.sparse.issparse(X)
    if sparse:
        row_bytes = X.shape[1] * X.dtype.itemsize
        batch_size = min(batch_size, max(1, CHUNK_BYTES // row_bytes))
    batch_size = _round_up(max(int(batch_size), 1))
    chunks = []
    for start in range(0, n_samples, batch_size):
        chunk = X[start : start + batch_size]
        if sparse:
            chunk = chunk.toarray()
        n_rows = chunk.shape[0]
        padded_rows = bucket(n_rows, multiple=ROW_MULTIPLE)
        if padded_rows != n_rows:
            padding = np.zeros((padded_rows - n_rows, *chunk.shape[1:]), chunk.dtype)
            chunk = np.concatenate([chunk, padding])
        outputs = keras.ops.convert_to_numpy(call(chunk))
        chunks.append(outputs.reshape(padded_rows, -1)[:n_rows])
    return np.concatenate(chunks)


def _round_up(n_rows):
    return -(-n_rows // ROW_MULTIPLE) * ROW_MULTIPLE

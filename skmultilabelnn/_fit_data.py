"""What ``Model.fit`` is given: arrays, or a tf.data pipeline built once.

Given NumPy arrays, Keras' TensorFlow backend rebuilds its tf.data pipeline,
converting the arrays to tensors again, at every epoch; for the small networks
this package is used with, that costs more than the training steps. On that
backend the arrays are converted once per ``fit`` into a pipeline that
reshuffles itself at each epoch: the same passes, batches and gradient steps
as Keras' own shuffling, without the per-epoch conversion. Other backends get
the arrays, which they already iterate cheaply.
"""

import keras

from ._compat import train_validation_split

#: Gradient steps run per call into the compiled train function, unless
#: ``compile__steps_per_execution`` says otherwise. Per-batch callbacks then
#: see one call per this many batches; per-epoch ones are unaffected.
STEPS_PER_EXECUTION = 32


def fit_arguments(
    X,
    y,
    sample_weight,
    *,
    batch_size,
    shuffle,
    validation_split,
    seed,
    validation_data=None,
):
    """Return the data arguments of ``Model.fit`` for arrays ``X`` and ``y``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
        Training samples.
    y : ndarray of shape (n_samples, n_outputs)
        Encoded targets.
    sample_weight : ndarray of shape (n_samples,) or None
        Sample weights.
    batch_size : int or None
        Samples per gradient step; -1 means all rows, None Keras' 32.
    shuffle : bool
        Reshuffle the training rows at each epoch.
    validation_split : float
        Fraction of rows held out, the last ones before shuffling, as Keras'
        own ``validation_split`` does.
    seed : int or None
        Seed of the shuffling.
    validation_data : tuple of ndarray or None, default=None
        Held-out ``(X, y)`` or ``(X, y, sample_weight)``, used when
        ``validation_split`` is 0.

    Returns
    -------
    fit_kwargs : dict
        ``x``, ``y``, ``sample_weight`` and, where this function did the
        batching, ``batch_size=None``, ``shuffle=False``,
        ``validation_split=0.0`` and ``validation_data``.
    """
    if keras.backend.backend() != "tensorflow":
        return {
            "x": X,
            "y": y,
            "sample_weight": sample_weight,
            "validation_data": validation_data,
        }
    import tensorflow as tf

    if batch_size is None:
        batch_size = 32
    elif batch_size == -1:
        batch_size = X.shape[0]
    arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
    if validation_data is None and validation_split:
        # Keras' own split (the last rows), as Model.fit would do it
        arrays, validation_data = train_validation_split(arrays, validation_split)
    if validation_data is not None:
        validation_data = _batched(
            tf.data.Dataset.from_tensor_slices(validation_data), batch_size
        )
    n_samples = arrays[0].shape[0]
    dataset = tf.data.Dataset.from_tensor_slices(arrays)
    if shuffle and n_samples > 1:
        dataset = dataset.shuffle(n_samples, seed=seed, reshuffle_each_iteration=True)
    return {
        "x": _batched(dataset, batch_size),
        "y": None,
        "sample_weight": None,
        "batch_size": None,
        "shuffle": False,
        "validation_split": 0.0,
        "validation_data": validation_data,
    }


def _batched(dataset, batch_size):
    import tensorflow as tf

    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)

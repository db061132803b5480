"""Default Keras model builders, plain functions of the fit metadata and a few sizes."""

import keras


def build_mlp(meta, hidden_layer_sizes=(100,), activation="relu", dropout=0.0):
    """Build an uncompiled multilayer perceptron for the fitted target.

    Inputs of more than one dimension per sample (images, sequences) are
    flattened first.

    Parameters
    ----------
    meta : dict
        Fit metadata from :class:`KerasMultilabelClassifier`; reads
        ``X_shape_`` (the shape of the training X), ``n_outputs_`` and
        ``out_activation_``.
    hidden_layer_sizes : sequence of int, default=(100,)
        Units of each hidden ``Dense`` layer, in order; empty for none.
    activation : str or callable, default="relu"
        Activation of the hidden layers, any name Keras accepts.
    dropout : float, default=0.0
        Dropout rate after each hidden layer; 0 adds no dropout layer.

    Returns
    -------
    model : keras.Model
        The network, ending in ``n_outputs_`` units with ``out_activation_``.

    Examples
    --------
    >>> from skmultilabelnn import build_mlp
    >>> meta = {"X_shape_": (50, 4), "n_outputs_": 3, "out_activation_": "sigmoid"}
    >>> build_mlp(meta, hidden_layer_sizes=(8,)).output_shape
    (None, 3)
    """
    inputs = keras.Input(shape=tuple(meta["X_shape_"][1:]))
    hidden = keras.layers.Flatten()(inputs) if len(inputs.shape) > 2 else inputs
    for units in hidden_layer_sizes:
        hidden = keras.layers.Dense(int(units), activation=activation)(hidden)
        if dropout > 0:
            hidden = keras.layers.Dropout(dropout)(hidden)
    return keras.Model(inputs, _output_layer(meta)(hidden))


def build_cnn(meta, filters=(32, 64), kernel_size=3, pool_size=2, dropout=0.0):
    """Build an uncompiled convolutional network for image input.

    The architecture of the seed tutorial: one ``Conv2D`` (relu) per entry of
    ``filters``, a ``MaxPooling2D``, ``Flatten``, then the output layer.

    Parameters
    ----------
    meta : dict
        Fit metadata; reads ``X_shape_`` (``(n_samples, height, width,
        channels)``), ``n_outputs_`` and ``out_activation_``.
    filters : sequence of int, default=(32, 64)
        Filters of each convolution layer.
    kernel_size : int, default=3
        Side of the square convolution kernels.
    pool_size : int, default=2
        Side of the max-pooling window.
    dropout : float, default=0.0
        Dropout rate before the output layer.

    Returns
    -------
    model : keras.Model
        The network, ending in ``n_outputs_`` units with ``out_activation_``.

    Examples
    --------
    >>> from skmultilabelnn import build_cnn
    >>> meta = {"X_shape_": (10, 8, 8, 3), "n_outputs_": 2,
    ...         "out_activation_": "sigmoid"}
    >>> build_cnn(meta, filters=(4,)).output_shape
    (None, 2)
    """
    shape = tuple(meta["X_shape_"][1:])
    if len(shape) != 3:
        raise ValueError(
            f"build_cnn needs X of shape (n_samples, height, width, channels); got "
            f"samples of shape {shape}."
        )
    inputs = keras.Input(shape=shape)
    hidden = inputs
    for n_filters in filters:
        hidden = keras.layers.Conv2D(int(n_filters), kernel_size, activation="relu")(
            hidden
        )
    hidden = keras.layers.MaxPooling2D(pool_size)(hidden)
    hidden = keras.layers.Flatten()(hidden)
    if dropout > 0:
        hidden = keras.layers.Dropout(dropout)(hidden)
    return keras.Model(inputs, _output_layer(meta)(hidden))


def _output_layer(meta):
    """One unit per output, with the activation the target encoding needs."""
    return keras.layers.Dense(meta["n_outputs_"], activation=meta["out_activation_"])

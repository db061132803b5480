"""A seed ensemble of networks as one Keras model, and its training history."""

import keras
import numpy as np


def average_networks(members, sample_shape, compile_kwargs):
    """One compiled Keras model whose output is the mean of the members' outputs.

    Parameters
    ----------
    members : list of keras.Model
        Trained networks with one input of shape ``(None, *sample_shape)`` and
        outputs of the same shape. They become the layers of the new model,
        renamed ``member_0``, ``member_1``, ... (names must be unique).
    sample_shape : tuple of int
        Shape of one sample.
    compile_kwargs : dict
        Arguments of ``compile`` (its metrics); the loss and the kind of
        optimizer are the members' own.

    Returns
    -------
    model : keras.Model
    """
    for i, member in enumerate(members):
        member.name = f"member_{i}"
        # a trained member's optimizer state (Adam: two moments of every
        # weight) is never used again: an unbuilt optimizer frees it
        member.optimizer = type(member.optimizer).from_config(
            member.optimizer.get_config()
        )
    inputs = keras.Input(shape=tuple(sample_shape))
    outputs = keras.layers.Average(name="mean_probability")(
        [member(inputs) for member in members]
    )
    model = keras.Model(inputs, outputs, name="ensemble")
    optimizer = members[0].optimizer
    model.compile(
        **{
            **compile_kwargs,
            "loss": members[0].loss,
            "optimizer": type(optimizer).from_config(optimizer.get_config()),
        }
    )
    # not built: its state (two moments of every weight for Adam) would
    # triple the memory of a wide first layer; a warm start builds it
    return model


def mean_history(histories):
    """Per epoch, the mean of each logged value over the members that trained then.

    Parameters
    ----------
    histories : list of dict of str to list of float

    Returns
    -------
    history : dict of str to list of float
        As long as the longest member history (early stopping ends members at
        different epochs).
    """
    merged = {}
    for name in histories[0]:
        runs = [h.get(name, []) for h in histories]
        length = max(len(run) for run in runs)
        merged[name] = [
            float(np.mean([run[e] for run in runs if e < len(run)]))
            for e in range(length)
        ]
    return merged

"""Deciding which training rows the network trains on and which it holds out."""

import math

import numpy as np


def split_rows(n_samples, sample_weight, *, held_out, seed, purpose):
    """Split the rows of a fit into trained-on and held-out rows, at random.

    Rows of weight 0 take part in neither.

    Parameters
    ----------
    n_samples : int
        Rows of the training data.
    sample_weight : ndarray of shape (n_samples,) or None
        Sample weights.
    held_out : float
        Fraction of the rows held out, in [0, 1); 0 holds out none.
    seed : int or None
        Seed of the split; None splits at random.
    purpose : str
        What the held-out rows are for, for the error message.

    Returns
    -------
    train_rows : ndarray of int
    held_rows : ndarray of int or None
        None when ``held_out`` is 0. Both sorted.
    """
    rows = (
        np.arange(n_samples) if sample_weight is None else np.flatnonzero(sample_weight)
    )
    if not held_out:
        return rows, None
    n_held = math.ceil(held_out * rows.shape[0])
    if rows.shape[0] < 2 or n_held >= rows.shape[0]:
        raise ValueError(
            f"Holding out {held_out:g} of the {rows.shape[0]} training rows "
            f"({purpose}) leaves none to train on; give more rows or hold out "
            "fewer."
        )
    order = np.random.default_rng(seed).permutation(rows)
    return np.sort(order[n_held:]), np.sort(order[:n_held])

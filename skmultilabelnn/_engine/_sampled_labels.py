"""Training on a sample of the labels at each step, for outputs of many labels.

With tens of thousands of labels, the output layer's product ``hidden @ W``
(``W`` of shape ``(n_hidden, n_labels)``) and the optimizer's update of all
of ``W`` dominate a step, though a batch has a few hundred positive labels
and the other labels' terms are small negatives alike. A sampled step, the
negative sampling of extreme classification, computes the outputs of the
labels positive in the batch and of ``n_sampled`` labels drawn uniformly
from the others only, and updates those columns of ``W`` (and their Adam
moments, lazily: see ``_row_updates``). Each drawn label's terms weigh
``(labels without a positive in the batch) / (labels drawn)``, so that the
step's loss is an unbiased estimate of the full loss (the mean over every
label) and the probabilities stay on its scale. A new network's output
bias starts at the labels' log-odds (see :func:`prior_log_odds`).
Prediction uses the whole layer.
"""

from dataclasses import dataclass, replace

import keras
import numpy as np
import scipy.sparse

from ._buckets import bucket
from ._first_layer import chain_layers, is_plain_dense


@dataclass(frozen=True)
class OutputSplit:
    """A chain of layers split before its output layer.

    Attributes
    ----------
    body : keras.Model or None
        The layers before ``dense``, as one model sharing their variables;
        None when ``dense`` reads the input.
    dense : keras.layers.Dense
        The output layer: a plain ``Dense`` layer with a sigmoid.
    """

    body: keras.Model
    dense: keras.layers.Dense

    def outputs(self, hidden, columns, bias):
        """The outputs of the labels whose kernel ``columns`` and ``bias``
        (None if the layer has none) are given, from the body's output."""
        logits = hidden @ columns
        if bias is not None:
            logits = logits + bias
        return self.dense.activation(logits)


def output_split(model):
    """``model`` split before its output layer (:class:`OutputSplit`), or None.

    The model must be one chain of layers ending in a plain ``Dense`` layer
    with a sigmoid activation; the body is built on ``model``'s own layers,
    so ``model`` should be the engine's private template.
    """
    inputs, outputs = model.inputs, model.outputs
    if len(inputs) != 1 or len(outputs) != 1:
        return None
    layers = chain_layers(model)
    if not layers or not is_plain_dense(layers[-1]):
        return None
    if layers[-1].activation is not keras.activations.sigmoid:
        return None
    if len(layers) == 1:
        return OutputSplit(None, layers[-1])
    body_input = keras.Input(shape=inputs[0].shape[1:], dtype=inputs[0].dtype)
    hidden = body_input
    for layer in layers[:-1]:
        hidden = layer(hidden)
    return OutputSplit(keras.Model(body_input, hidden), layers[-1])


def prior_log_odds(Y, rows):
    """Each label's log-odds in ``Y``'s ``rows``, smoothed (half a positive
    and half a negative added): where a sampled network's output bias
    starts.

    A step draws few of the labels without a positive in its batch, and
    Adam moves a weight by about its learning rate whatever the gradient's
    size, so a rare label's bias would fall to its frequency far slower
    than with every label at every step; starting there, the steps learn
    what the inputs add to it.
    """
    counts = np.asarray(Y[rows].sum(axis=0), dtype=np.float64).ravel()
    prior = (counts + 0.5) / (rows.shape[0] + 1.0)
    return np.log(prior) - np.log1p(-prior)


def with_label_weights(training_loss, n_labels, dtype):
    """``training_loss`` weighted per label (ones where it was not): a
    sampled step passes each drawn label's weight through the label
    weights."""
    if training_loss.label_weighted:
        return training_loss
    ones = np.ones(n_labels, dtype)
    return replace(training_loss, pos_weight=ones, neg_weight=ones)


class LabelSampler:
    """The labels of each batch of a block, and their targets and weights.

    Parameters
    ----------
    Y : ndarray or sparse matrix of shape (n_samples, n_labels)
    pos_weight, neg_weight : ndarray of shape (n_labels,)
        Weights of each label's positive and negative terms.
    n_sampled : int
        Labels drawn at random per batch among those without a positive in it.
    """

    def __init__(self, Y, pos_weight, neg_weight, n_sampled):
        self.Y = scipy.sparse.csr_matrix(Y) if scipy.sparse.issparse(Y) else Y
        self.pos_weight = pos_weight
        self.neg_weight = neg_weight
        self.n_sampled = n_sampled
        self.n_labels = Y.shape[1]
        self.width = 1  # the widest so far: later blocks are padded to it

    def block(self, padded, rng):
        """The sampled labels of a block of batches.

        Parameters
        ----------
        padded : ndarray of int of shape (n_batches, batch_size)
            Row indices, -1 for padding.
        rng : numpy.random.Generator

        Returns
        -------
        labels : ndarray of int32 of shape (n_batches, width)
            Each batch's labels: its positive ones, then the drawn ones, then
            padding (``n_labels``, past the last).
        targets : ndarray of uint8 of shape (n_batches, batch_size, width)
        pos_weight, neg_weight : ndarray of shape (n_batches, width)
            The weights of each label's terms in ``batch_loss``, whose mean
            over the ``width`` labels is then the full loss' estimate (0 for
            padding).
        """
        n_batches, batch_size = padded.shape
        n_labels = self.n_labels
        # each non-zero target of the block: its batch, its row's slot, its label
        batch, slot, label = self._non_zeros(padded)
        positive = np.zeros((n_batches, n_labels), dtype=bool)
        positive[batch, label] = True
        n_positive = positive.sum(axis=1)
        n_drawn = np.minimum(self.n_sampled, n_labels - n_positive)
        n_kept = n_positive + n_drawn
        # random keys, positives first: each batch's first n_kept labels by
        # key are its positive ones and a uniform draw of the others
        keys = rng.random((n_batches, n_labels))
        keys[positive] = -1.0
        kept = int(n_kept.max())
        chosen = np.argpartition(keys, kept - 1, axis=1)[:, :kept]
        order = np.argsort(np.take_along_axis(keys, chosen, axis=1), axis=1)
        chosen = np.take_along_axis(chosen, order, axis=1)
        rank = np.arange(kept)
        real = rank < n_kept[:, None]
        width = max(bucket(kept), self.width)
        self.width = width
        labels = np.full((n_batches, width), n_labels, dtype=np.int32)
        labels[:, :kept] = np.where(real, chosen, n_labels)
        # weight of each label's terms: 1 for positive labels, the labels
        # left out per label drawn for the drawn ones, 0 for padding
        drawn_weight = (n_labels - n_positive) / np.maximum(n_drawn, 1)
        weight = np.zeros((n_batches, width))
        weight[:, :kept] = (
            np.where(rank < n_positive[:, None], 1.0, drawn_weight[:, None]) * real
        )
        # batch_loss takes the mean over the width: scaled to the mean over
        # all the labels
        weight *= width / n_labels
        safe = np.minimum(labels, n_labels - 1)
        pos_weight = (self.pos_weight[safe] * weight).astype(self.pos_weight.dtype)
        neg_weight = (self.neg_weight[safe] * weight).astype(self.neg_weight.dtype)
        # where each positive label sits among its batch's labels
        column = np.zeros((n_batches, n_labels), dtype=np.int32)
        column[np.arange(n_batches)[:, None], chosen] = rank
        targets = np.zeros((n_batches, batch_size, width), dtype=np.uint8)
        targets[batch, slot, column[batch, label]] = 1
        return labels, targets, pos_weight, neg_weight

    def _non_zeros(self, padded):
        """``(batch, slot, label)`` of each positive target of the block's rows."""
        flat = padded.ravel()
        valid = np.flatnonzero(flat >= 0)
        rows = self.Y[flat[valid]]
        if scipy.sparse.issparse(rows):
            rows = rows.tocsr()
            rows.eliminate_zeros()
            per_row = np.diff(rows.indptr)
            where, label = np.repeat(valid, per_row), rows.indices
        else:
            entry, label = np.nonzero(np.asarray(rows))
            where = valid[entry]
        batch_size = padded.shape[1]
        return where // batch_size, where % batch_size, label

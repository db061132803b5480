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
        n_labels = self.n_labels
        chosen = []
        for rows in padded:
            kept = rows[rows >= 0]
            positive = self._positive_labels(kept)
            others = n_labels - positive.shape[0]
            n_drawn = min(self.n_sampled, others)
            candidates = np.setdiff1d(np.arange(n_labels), positive, assume_unique=True)
            drawn = np.sort(rng.choice(candidates, size=n_drawn, replace=False))
            weight = np.ones(positive.shape[0] + n_drawn)
            weight[positive.shape[0] :] = others / max(n_drawn, 1)
            chosen.append((np.concatenate([positive, drawn]), weight))
        width = max(bucket(max(c.shape[0] for c, _ in chosen)), self.width)
        self.width = width
        n_batches, batch_size = padded.shape
        labels = np.full((n_batches, width), n_labels, dtype=np.int32)
        targets = np.zeros((n_batches, batch_size, width), dtype=np.uint8)
        dtype = self.pos_weight.dtype
        pos_weight = np.zeros((n_batches, width), dtype)
        neg_weight = np.zeros((n_batches, width), dtype)
        for b, (columns, weight) in enumerate(chosen):
            n = columns.shape[0]
            labels[b, :n] = columns
            valid = padded[b] >= 0
            targets[b, valid, :n] = self._targets(padded[b][valid], columns)
            # batch_loss takes the mean over the width: scaled to the mean
            # over all the labels
            scale = weight * (width / n_labels)
            pos_weight[b, :n] = self.pos_weight[columns] * scale
            neg_weight[b, :n] = self.neg_weight[columns] * scale
        return labels, targets, pos_weight, neg_weight

    def _positive_labels(self, rows):
        if scipy.sparse.issparse(self.Y):
            return np.unique(self.Y[rows].indices).astype(np.int64)
        return np.flatnonzero(np.asarray(self.Y[rows]).any(axis=0))

    def _targets(self, rows, columns):
        targets = self.Y[rows][:, columns]
        if scipy.sparse.issparse(targets):
            targets = targets.toarray()
        return np.asarray(targets) != 0

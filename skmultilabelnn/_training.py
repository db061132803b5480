"""Training networks from a resolved, frozen spec: new ensembles, warm starts, folds.

``KerasMultilabelClassifier.fit`` resolves its parameters once into a
:class:`TrainingSpec` and a :class:`Seeds`; the functions here train from
those and the data alone (no estimator), and return what the fit assigns.
"""

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from ._compat._keras import compile_metrics, keras_seed_scope
from ._engine import (
    EarlyStopping,
    EpochRandomness,
    TrainingData,
    TrainingLoss,
    TrainingOptions,
    as_loss,
    predict,
    roc_auc_rows,
    train,
)
from ._ensemble import average_networks, mean_history
from ._members import map_members, member_workers
from ._out_of_fold import out_of_fold_scores
from ._rows import multilabel_folds, split_rows, subset_rows
from ._thresholds import learn_thresholds

#: Member ``m`` of an ensemble draws its seed from the fit's seed with the key
#: ``MEMBER_KEYS - m``, fold ``k`` of the threshold folds with the key ``k``:
#: two streams that never meet (the keys of 0.1.0, so seeds give the same
#: networks as then).
MEMBER_KEYS = 2**32


#: Out-of-fold scores (rows x labels) thresholds are learned from, at most: a
#: fit of more rows times labels learns them from a random subset of its rows
#: (128 MB of float64 scores; 1.2 million rows of 14 labels, 17,000 of 983).
THRESHOLD_ENTRIES = 2**24

#: Rows thresholds are learned from, at least, however many labels there are.
MIN_THRESHOLD_ROWS = 200


def _derived_seed(seed, key):
    return int(np.random.SeedSequence([seed, key]).generate_state(1)[0] >> 1)


@dataclass(frozen=True)
class Seeds:
    """Every seed of a fit, named by what it seeds.

    Parameters
    ----------
    fit : int or None
        The fit's own seed: the first member's, the validation rows' and the
        threshold folds' split. None leaves everything unseeded.
    """

    fit: int = None

    def member(self, m):
        """The seed of ensemble member ``m`` (member 0 has the fit's own)."""
        if m == 0 or self.fit is None:
            return self.fit
        return _derived_seed(self.fit, MEMBER_KEYS - m)

    def fold(self, k):
        """The seeds of the networks trained without threshold fold ``k``."""
        return Seeds(None if self.fit is None else _derived_seed(self.fit, k))


@dataclass(frozen=True)
class TrainingSpec:
    """Everything a fit needs to build and train its networks, resolved once.

    Parameters
    ----------
    build_network : callable
        ``build_network(seed) -> keras.Model``: a new compiled network whose
        initial weights and dropout are seeded by ``seed``.
    compile_kwargs : callable
        ``compile_kwargs() -> dict``: new arguments of ``Model.compile``
        (for the model that averages an ensemble).
    make_callbacks : callable
        ``make_callbacks() -> list``: the Keras callbacks of one network.
    label_weights : callable or None
        ``label_weights(y_train) -> (pos_weight, neg_weight)``: the weights
        of each label's two sides in the loss (``class_weight`` of a sigmoid
        output), from the rows a network trains on; None for none.
    sample_shape : tuple of int
        Shape of one sample of X.
    ensemble_size, epochs, n_iter_no_change, verbose : int
    batch_size : int
        Rows per gradient step; -1 for all the training rows at once.
    shuffle, early_stopping : bool
    validation_split : float
    sparse_updates : {"lazy", "dense"}
    sampled_labels : int or None
    scoring : {"loss", "roc_auc"}
        What early stopping monitors on the validation rows: the loss, or
        the mean over labels of the ROC AUC (when some label has both
        classes among them; else the loss).
    """

    build_network: Callable
    compile_kwargs: Callable
    make_callbacks: Callable
    label_weights: Callable
    sample_shape: tuple
    ensemble_size: int
    epochs: int
    batch_size: int
    shuffle: bool
    verbose: int
    validation_split: float
    early_stopping: bool
    n_iter_no_change: int
    sparse_updates: str = "lazy"
    sampled_labels: int = None
    scoring: str = "loss"


def fit_networks(spec, X, Y, row_weight, seeds, *, rows=None, quiet=False):
    """New networks, ``spec.ensemble_size`` of them, trained on ``rows`` (all).

    Parameters
    ----------
    spec : TrainingSpec
    X : ndarray or sparse matrix of shape (n_samples, ...)
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets.
    row_weight : ndarray of shape (n_samples,) or None
        Weight of each row; rows of weight 0 are left out.
    seeds : Seeds
    rows : ndarray of int or None, default=None
        The rows to train on (a validation split is drawn from them).
    quiet : bool, default=False
        Train without the callbacks and at verbosity 0.

    Returns
    -------
    model : keras.Model
        The network, or for several the one model averaging their outputs.
    history : dict of str to list of float
        Per epoch, averaged over the networks.
    """

    def train_member(m, network):
        seed = seeds.member(m)
        data = _training_data(spec, X, Y, row_weight, seed, rows)
        return _train(spec, network, data, seed, initial_epoch=0, quiet=quiet)

    trained = _train_new_members(
        spec, X, seeds, spec.ensemble_size, train_member, quiet=quiet
    )
    members, histories = (list(part) for part in zip(*trained, strict=True))
    if len(members) == 1:
        return members[0], histories[0]
    model = average_networks(members, spec.sample_shape, spec.compile_kwargs())
    return model, mean_history(histories)


def train_further(spec, model, X, Y, row_weight, seeds, *, initial_epoch):
    """Train a fitted ``model`` in place for ``spec.epochs`` more epochs.

    Returns the history of these epochs (an ensemble trains on as one model).
    """
    data = _training_data(spec, X, Y, row_weight, seeds.fit, rows=None)
    return _train(
        spec, model, data, seeds.fit, initial_epoch=initial_epoch, quiet=False
    )


def cross_fit_thresholds(spec, X, Y, row_weight, seeds, *, n_folds, metric):
    """Thresholds learned from out-of-fold probabilities of ``n_folds`` fits.

    The rows of non-zero weight are split into ``n_folds`` iteratively
    stratified folds; for each, new networks trained on the other folds (with
    this fit's settings, but no callbacks, silently) predict it, so no
    probability comes from a network that trained on its row.

    Returns
    -------
    thresholds : ndarray of shape (n_outputs,)
    """
    rows, splits = _threshold_folds(
        Y, row_weight, n_folds, seeds.fit, folds_from="threshold_cv"
    )
    scored = _scored_rows(rows, Y.shape[1], seeds.fit)

    def fit_and_predict(k, _, test_positions):
        model, _ = fit_networks(
            spec, X, Y, row_weight, seeds.fold(k), rows=splits[k][0], quiet=True
        )
        return predict(model, X[scored[test_positions]])

    scores = out_of_fold_scores(
        fit_and_predict, _positions_in(scored, splits), scored.shape[0]
    )
    return learn_thresholds(Y[scored], scores, metric=metric)


def fit_cross_fitted(spec, X, Y, row_weight, seeds, *, metric):
    """An ensemble whose members are the folds' models, and thresholds from them.

    The rows of non-zero weight are split into ``spec.ensemble_size``
    iteratively stratified folds; member ``m`` trains on the other folds and
    validates (and stops early) on fold ``m``, then predicts it. So every row
    is predicted by the one member that never saw it, and the thresholds are
    learned from those out-of-fold probabilities with no extra training
    (``threshold_cv="ensemble"``). ``spec.validation_split`` is not used,
    except by an "ensemble" of one: its network's validation rows, which it
    never trains on, are the out-of-fold rows. With many labels, only a
    random subset of the rows is predicted (see ``THRESHOLD_ENTRIES``).

    Returns
    -------
    model : keras.Model
        The members averaged as one model.
    history : dict of str to list of float
    thresholds : ndarray of shape (n_outputs,)
    """
    if spec.ensemble_size == 1:
        return _fit_one_with_held_out_thresholds(spec, X, Y, row_weight, seeds, metric)
    rows, splits = _threshold_folds(
        Y, row_weight, spec.ensemble_size, seeds.fit, folds_from="ensemble_size"
    )
    scored = _scored_rows(rows, Y.shape[1], seeds.fit)
    positions = _positions_in(scored, splits)

    def fit_and_predict(m, network):
        seed, (train_rows, test_rows) = seeds.member(m), splits[m]
        data = TrainingData(X, Y, row_weight, train_rows, test_rows)
        history = _train(spec, network, data, seed, initial_epoch=0, quiet=False)
        return history, predict(network, X[scored[positions[m][1]]])

    # in this process (a joblib backend set around the fit, such as a grid
    # search's Dask cluster, would run them elsewhere): the members are kept,
    # not only their scores
    trained = _train_new_members(spec, X, seeds, len(splits), fit_and_predict)
    members = [network for network, _ in trained]
    histories = [history for _, (history, _) in trained]
    predicted = [fold_scores for _, (_, fold_scores) in trained]
    scores = out_of_fold_scores(
        lambda m, train, test: predicted[m], positions, scored.shape[0]
    )
    thresholds = learn_thresholds(Y[scored], scores, metric=metric)
    model = average_networks(members, spec.sample_shape, spec.compile_kwargs())
    return model, mean_history(histories), thresholds


def _train_new_members(spec, X, seeds, n_members, train_member, *, quiet=False):
    """``[(network, train_member(m, network))]`` for new networks of members
    ``0 .. n_members - 1``, several at a time where they train alone (see
    ``_members``): without callbacks, Keras metrics or progress output.

    Each network is built here, in this thread (where ``keras_seed_scope``
    seeds it), while the members before it train.
    """
    first = spec.build_network(seeds.member(0))
    alone = quiet or (spec.verbose == 0 and not spec.make_callbacks())
    # the metrics a network was compiled with (by a model= builder too)
    alone = alone and compile_metrics(first) is None
    workers = member_workers(n_members, X, first, alone=alone)

    def networks():
        yield first
        for m in range(1, n_members):
            yield spec.build_network(seeds.member(m))

    return map_members(train_member, networks(), workers)


def _fit_one_with_held_out_thresholds(spec, X, Y, row_weight, seeds, metric):
    """One network, and thresholds from its validation rows (see above).

    Without validation rows there is nothing to learn from: no thresholds
    (None), so that ``predict`` uses 0.5, as documented.
    """
    seed = seeds.member(0)
    network = spec.build_network(seed)
    data = _training_data(spec, X, Y, row_weight, seed, rows=None)
    history = _train(spec, network, data, seed, initial_epoch=0, quiet=False)
    if data.validation_rows is None:
        return network, history, None
    held_out = _scored_rows(data.validation_rows, Y.shape[1], seed)
    scores = predict(network, X[held_out])
    thresholds = learn_thresholds(Y[held_out], scores, metric=metric)
    return network, history, thresholds


def _scored_rows(rows, n_labels, seed):
    """The rows whose out-of-fold scores thresholds are learned from: all of
    ``rows``, or a random subset (sorted) of ``THRESHOLD_ENTRIES`` scores."""
    most = max(MIN_THRESHOLD_ROWS, THRESHOLD_ENTRIES // max(n_labels, 1))
    return subset_rows(rows, most, seed)


def _positions_in(scored, splits):
    """``splits`` with each test fold cut to its rows in ``scored``, given as
    positions in ``scored`` (the training rows are kept as they are)."""
    return [
        (train, np.flatnonzero(np.isin(scored, test, assume_unique=True)))
        for train, test in splits
    ]


def _threshold_folds(Y, row_weight, n_folds, seed, *, folds_from):
    """The rows of non-zero weight and their ``(train, test)`` folds.

    ``folds_from`` names the parameter that set ``n_folds``, for the error.
    """
    rows = np.arange(Y.shape[0]) if row_weight is None else np.flatnonzero(row_weight)
    if rows.shape[0] < n_folds:
        raise ValueError(
            f"threshold='auto' learns the thresholds from {n_folds} folds "
            f"({folds_from}) of the training rows; {rows.shape[0]} rows with "
            f"non-zero weight are too few. Give more rows or lower {folds_from}."
        )
    folds = multilabel_folds(Y, rows, n_folds, seed)
    return rows, [
        (np.setdiff1d(rows, fold, assume_unique=True), fold) for fold in folds
    ]


def new_network(build, kwargs, compile_kwargs, meta, seed, *, builder_name):
    """Call a model builder in a seeded scope; check and compile what it returns.

    Parameters
    ----------
    build : callable
        The builder, called as ``build(**kwargs)``.
    kwargs : dict
        Its arguments.
    compile_kwargs : callable
        New arguments of ``Model.compile``, for an uncompiled model.
    meta : dict
        The fit's metadata, to check the model's input and output shapes.
    seed : int or None
        Seeds the model's initializers and dropout layers.
    builder_name : str
        How to name the builder in an error.

    Returns
    -------
    model : keras.Model
        Compiled, with a loss and an optimizer.
    """
    with keras_seed_scope(seed):
        model = build(**kwargs)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"model must build a keras.Model; {builder_name} returned "
                f"{type(model).__name__}."
            )
        _check_model_shapes(model, meta)
        _refuse_lambda_layers(model)
        if not model.compiled:
            model.compile(**compile_kwargs())
    if not getattr(model, "loss", None) or not getattr(model, "optimizer", None):
        raise ValueError(
            "The model was compiled without a loss or an optimizer; compile it "
            "with both, or leave it uncompiled."
        )
    return model


def _training_data(spec, X, Y, row_weight, seed, rows):
    """The rows (all, or ``rows``) split into trained-on and validation rows.

    A random ``validation_split`` of the rows is held out for the validation
    loss. Rows of weight 0 are left out.
    """
    n_samples = X.shape[0]
    if rows is not None:
        mask = np.zeros(n_samples, dtype=bool)
        mask[rows] = True
        in_rows = mask if row_weight is None else mask * row_weight
    else:
        in_rows = row_weight
    train_rows, validation_rows = split_rows(
        n_samples,
        in_rows,
        held_out=spec.validation_split,
        seed=seed,
        purpose="validation_split",
    )
    return TrainingData(X, Y, row_weight, train_rows, validation_rows)


def _train(spec, model, data, seed, *, initial_epoch, quiet):
    """Run the engine on ``model``; return the history of these epochs."""
    batch_size = spec.batch_size
    if batch_size == -1:
        batch_size = data.train_rows.shape[0]
    rows = data.validation_rows
    scored = None
    if spec.scoring == "roc_auc" and rows is not None:
        scored = roc_auc_rows(data.Y, data.row_weight, rows)
    early_stopping = None
    if spec.early_stopping:
        monitor = "loss" if rows is None else "val_loss"
        if scored is not None:
            monitor = "val_roc_auc"
        early_stopping = EarlyStopping(monitor, spec.n_iter_no_change)
    options = TrainingOptions(
        epochs=spec.epochs,
        initial_epoch=initial_epoch,
        batch_size=int(batch_size),
        shuffle=spec.shuffle,
        random_state=EpochRandomness(seed),
        callbacks=[] if quiet else spec.make_callbacks(),
        verbose=0 if quiet else spec.verbose,
        early_stopping=early_stopping,
        sparse_updates=spec.sparse_updates,
        sampled_labels=spec.sampled_labels,
        roc_auc_rows=scored,
    )
    loss = as_loss(model.loss)
    if spec.label_weights is None:
        training_loss = TrainingLoss(loss)
    else:
        pos_weight, neg_weight = spec.label_weights(data.Y[data.train_rows])
        training_loss = TrainingLoss(
            loss, np.asarray(pos_weight), np.asarray(neg_weight)
        )
    return train(model, training_loss, data, options)


def _check_model_shapes(model, meta):
    """Compare the network's input and output with X and y, for a readable error."""
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):
        return  # a subclassed model defines its shapes on first call
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            f"The model must have one input and one output; it has {len(inputs)} "
            f"inputs and {len(outputs)} outputs."
        )
    model_shape = tuple(inputs[0].shape[1:])
    sample_shape = tuple(meta["X_shape_"][1:])
    if len(model_shape) != len(sample_shape) or any(
        m is not None and m != s for m, s in zip(model_shape, sample_shape, strict=True)
    ):
        raise ValueError(
            f"The model takes samples of shape {model_shape}, but X has samples "
            f"of shape {sample_shape}."
        )
    is_indicator = meta["target_type_"] == "multilabel-indicator"
    what = "labels" if is_indicator else "classes"
    n_units = outputs[0].shape[-1]
    if n_units is not None and n_units != meta["n_outputs_"]:
        raise ValueError(
            f"The model has {n_units} output units, but y needs "
            f"{meta['n_outputs_']} (a {meta['target_type_']} target with "
            f"{meta['n_classes_']} {what})."
        )


def _refuse_lambda_layers(model):
    """A Lambda layer cannot be unpickled (Keras' safe mode); say so at fit."""
    layers = list(model.layers)
    while layers:
        layer = layers.pop()
        layers.extend(getattr(layer, "layers", []))  # nested models
        if isinstance(layer, keras.layers.Lambda):
            raise ValueError(
                f"The model has a Lambda layer ({layer.name!r}), which Keras "
                "refuses to load back in safe mode, so the fitted estimator could "
                "not be unpickled. Write the computation as a custom layer "
                "registered with keras.saving.register_keras_serializable."
            )

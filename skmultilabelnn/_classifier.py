"""KerasMultilabelClassifier: a scikeras KerasClassifier for multilabel targets."""

import copy
import functools
from collections import defaultdict
from contextlib import contextmanager
from numbers import Integral, Real

import keras
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils import ClassifierTags, check_random_state
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ._compat import (
    COMPILE_CLASS_GETTERS,
    HasMethods,
    Interval,
    KerasClassifier,
    StrOptions,
    _fit_context,
    accepts_kwargs,
    has_param,
    keras_seed_scope,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from ._engine import (
    EpochRandomness,
    TrainingData,
    TrainingLoss,
    TrainingOptions,
    as_loss,
    train,
)
from ._ensemble import average_networks, mean_history
from ._inference import predict_in_chunks
from ._label_sets import most_probable_label_sets, seen_label_sets
from ._losses import output_class_weights
from ._models import build_mlp
from ._persistence import state_from_archives, state_with_archives
from ._rows import multilabel_folds, split_rows
from ._target import MultilabelTargetEncoder
from ._thresholds import (
    THRESHOLD_METRICS,
    apply_threshold,
    check_threshold,
    ensure_one_label,
    learn_thresholds,
)


class KerasMultilabelClassifier(KerasClassifier):
    """Neural-network classifier with one sigmoid output per label.

    A scikit-learn estimator around a Keras model. By default it builds a
    multilayer perceptron with one sigmoid unit per label, trained with binary
    cross-entropy and Adam; ``predict`` returns the 0/1 indicator matrix of
    probabilities at or above ``threshold``. 1-D binary and multiclass
    targets also work, as in :class:`~sklearn.neural_network.MLPClassifier`
    (a sigmoid or a softmax output; ``predict`` returns the original labels).

    Any architecture can be used through ``model``, and every Keras argument
    can be reached through scikeras' routed parameters: ``model__<name>``
    goes to the model-building function, ``optimizer__<name>``,
    ``loss__<name>``, ``compile__<name>`` and ``fit__<name>`` to the Keras
    object or call of that name; ``predict__batch_size`` sets the rows per
    inference call (default 4096).

    Parameters
    ----------
    model : callable, keras.Model or None, default=None
        The network. None builds a multilayer perceptron from
        ``hidden_layer_sizes``, ``activation`` and ``dropout`` (see
        :func:`build_mlp`). A callable is called, scikeras style, with any of
        the arguments it names among ``meta`` (fit metadata: ``X_shape_``,
        ``n_features_in_``, ``n_outputs_``, ``out_activation_``, ``classes_``,
        ...), ``compile_kwargs``, ``params`` and the ``model__`` parameters,
        and returns a Keras model, compiled or not. A ``keras.Model`` is
        copied at each fit, so the caller's model is never trained in place.
        An uncompiled model is compiled with ``optimizer``, ``learning_rate``,
        ``loss`` and ``metrics``.

    hidden_layer_sizes : array-like of int, default=(100,)
        Units of each hidden layer of the default model.

    activation : str or callable, default="relu"
        Activation of the hidden layers of the default model, any name Keras
        accepts.

    dropout : float, default=0.0
        Dropout rate after each hidden layer of the default model.

    optimizer : str, keras.optimizers.Optimizer or its class, default="adam"
        Optimizer; ``optimizer__<name>`` parameters are passed to it.

    learning_rate : float, default=0.001
        Learning rate of an optimizer given by name or class (an
        ``optimizer__learning_rate`` parameter wins; an optimizer instance
        keeps its own).

    loss : str, callable, keras.losses.Loss or None, default=None
        Loss. None uses binary cross-entropy for a sigmoid output and
        categorical cross-entropy for a softmax output.
        ``"binary_focal_crossentropy"`` uses Keras' focal loss, which
        down-weights easy examples; ``loss__gamma`` (default 2.0) and
        ``loss__alpha`` set it (with ``class_weight="balanced"``, which
        replaces ``alpha``, only ``loss__gamma``).

    metrics : list or None, default=None
        Keras metrics to compute during training (recorded in ``history_``).

    threshold : float, array-like of shape (n_labels,) or "auto", default=0.5
        A label is predicted when its probability is at least its threshold:
        one value for all labels or one per label, in [0, 1]. For a binary
        target it applies to the probability of ``classes_[1]``; a multiclass
        target predicts the most probable class and ignores it. A number or
        array is read by ``predict`` only, so ``set_params(threshold=...)``
        needs no refit.

        ``"auto"`` learns one threshold per label (``thresholds_``) at
        ``fit`` from out-of-fold probabilities: ``threshold_cv`` networks,
        each trained (with the same settings) on all the rows but one fold,
        predict the fold they did not train on; then the network kept is
        trained on all the rows, so none is lost to tuning. The folds share
        out each label's positives (iterative stratification). The thresholds
        maximise ``threshold_metric`` on those probabilities, shrunk toward
        one shared threshold for labels with few positives (a label with
        ``n`` positives keeps ``n / (n + 10)`` of its own), then pulled back
        toward 0.5 as far as needed for neither ``threshold_metric`` nor
        micro-F1 to score below the 0.5 cut on those probabilities. Its cost:
        ``threshold_cv + 1`` trainings instead of one. ``partial_fit`` and a
        warm-started ``fit`` keep the thresholds of the last full fit.

    threshold_metric : {"f1", "f1_micro", "f1_samples"}, default="f1"
        What ``threshold="auto"`` maximises: ``"f1"`` each label's own F1
        (macro-F1), ``"f1_micro"`` the F1 of all label decisions pooled,
        ``"f1_samples"`` the mean F1 of each sample's predicted label set.

    threshold_cv : int, default=3
        Folds of the out-of-fold probabilities of ``threshold="auto"``, at
        least 2.

    decision : {"threshold", "label_set"}, default="threshold"
        How ``predict`` turns a multilabel target's probabilities into
        labels. ``"threshold"`` compares each label with its threshold.
        ``"label_set"`` predicts, for each sample, the most probable of the
        label sets seen in training (``label_sets_``), the probability of a
        set being the product of ``p`` over its labels and ``1 - p`` over the
        others: it aims at subset accuracy (the whole set right), never
        predicts a combination the training data lacks, and ignores
        ``threshold`` and ``at_least_one_label``. Read by ``predict`` only,
        so it needs no refit.

    at_least_one_label : bool, default=False
        For a multilabel target, ``predict`` also switches on the most
        probable label of any sample that would otherwise get none, for
        problems where every sample has a label.

    class_weight : dict, "balanced" or None, default=None
        ``"balanced"`` weighs each label's positives by
        ``n_samples / (2 * n_positives)`` and its negatives by
        ``n_samples / (2 * n_negatives)`` in the loss (computed from the
        training labels at the first fit), so rare labels count as much as
        common ones; for 1-D targets it weighs classes as
        :func:`~sklearn.utils.class_weight.compute_class_weight` does. A dict
        maps class labels (1-D targets) or labels of ``classes_`` (multilabel
        targets: the weight of that label's positives) to weights; those left
        out weigh 1. For sigmoid outputs it works with the default loss and
        with ``loss="binary_focal_crossentropy"``. ``sample_weight`` is
        combined with it, never modified.

    ensemble_size : int, default=5
        Number of networks trained, each from its own seed (and with its own
        random validation rows), whose probabilities are averaged; ``model_``
        is then one Keras model holding them all. An ensemble is better
        calibrated and less sensitive to the seed than one network, at
        ``ensemble_size`` times the training time (small for small data with
        the default early stopping). 1 trains a single network.

    epochs : int, default=200
        Number of passes over the training data (at most, with early
        stopping).

    batch_size : int, default=32
        Number of samples per gradient step.

    validation_split : float, default=0.1
        Fraction of the training rows, drawn at random (seeded by
        ``random_state``), held out to compute ``val_`` losses and metrics in
        ``history_`` and to stop early. 0 trains on every row.

    early_stopping : bool, default=True
        Stop when the monitored loss has not improved for
        ``n_iter_no_change`` epochs, and restore the best weights. The
        validation loss is monitored when ``validation_split > 0``, the
        training loss otherwise. With the defaults, the training length
        adapts to the data: small data sets stop after a few dozen epochs.

    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.

    shuffle : bool, default=True
        Shuffle the training data before each epoch.

    warm_start : bool, default=False
        Continue training the fitted network on the next ``fit`` instead of
        building a new one (an ensemble trains on as one model).

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the held-out rows.
        An int gives the same predictions at every fit on CPU, also when fits
        run in threads or under Dask; no process-global random generator is
        seeded or read (see Notes). None gives a different network each fit.

    verbose : int, default=0
        Keras verbosity during ``fit``.

    callbacks : list of keras.callbacks.Callback or None, default=None
        Keras callbacks, called at epoch granularity (see Notes);
        ``callbacks__<name>`` parameters are passed to callbacks given as
        classes.

    **kwargs : dict
        scikeras routed parameters, such as ``optimizer__beta_1=0.8`` or
        ``model__units=16``.

    Attributes
    ----------
    model_ : keras.Model
        The trained network.

    classes_ : ndarray of shape (n_classes,)
        Label names (the columns of a DataFrame y, otherwise
        ``0 .. n_labels-1``) for an indicator y; the class labels for a 1-D y.

    n_classes_ : int
        Number of labels or classes.

    n_outputs_ : int
        Number of output units: ``n_labels``, 1 for binary, ``n_classes`` for
        multiclass targets.

    out_activation_ : {"sigmoid", "softmax"}
        Activation of the output layer.

    target_type_ : {"multilabel-indicator", "binary", "multiclass"}
        Kind of target seen in ``fit``.

    target_encoder_ : MultilabelTargetEncoder
        The fitted target encoder.

    n_features_in_ : int
        Number of features seen during ``fit`` (``X.shape[1]``).

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when X has string column names.

    X_shape_ : tuple of int
        Shape of the X seen in ``fit``; its sample shape (``X_shape_[1:]``)
        is enforced at prediction.

    history_ : dict of str to list of float
        Loss and metrics per epoch, as recorded by Keras; for an ensemble,
        per epoch the mean over the networks that trained at that epoch.

    n_iter_ : int
        Number of epochs trained (by the longest-trained network of an
        ensemble).

    label_sets_ : ndarray of shape (n_label_sets, n_outputs_)
        The distinct label sets (0/1 rows) of the training target, for a
        multilabel target: the candidates of ``decision="label_set"``.

    thresholds_ : ndarray of shape (n_outputs_,)
        The per-label thresholds learned with ``threshold="auto"`` (absent
        otherwise).

    Notes
    -----
    Training runs in the package's own engine, not in ``Model.fit``: on the
    TensorFlow and JAX backends each epoch is one call into a function
    compiled once per architecture, optimizer and loss (``jax.jit`` of a
    ``lax.scan``; a ``tf.function``, compiled with XLA for fits of 10,000
    gradient steps or more) and reused by every later fit of the same
    architecture in the process, over X held once in memory; sparse X is
    densified a few batches at a time. The epochs, batches and gradient steps
    are Keras' own: the last batch of an epoch is the short one. Other
    backends train through ``Model.fit``.

    Callbacks run at epoch granularity: ``on_epoch_begin`` and
    ``on_epoch_end`` as usual, and the per-batch methods once per epoch,
    ``on_train_batch_end`` with the last batch's index and the epoch's
    logs. The model's weights are written back after every epoch when there
    are callbacks, so that they can read or change them.

    Randomness comes only from ``random_state``: weight initialisation and
    dropout layers draw their seeds from a generator of the fit's own, and
    epoch ``e`` shuffles with ``numpy.random.default_rng([seed, e])``, so
    ``partial_fit`` on an unpickled estimator continues the same sequence.

    A fit changes the fitted attributes only when it completes: one that
    fails or is interrupted (KeyboardInterrupt) leaves the estimator as it
    was, a warm-started network's weights included.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's own multilayer
        perceptron.
    sklearn.multiclass.OneVsRestClassifier : One binary classifier per label.
    build_mlp : The default model.
    build_cnn : A convolutional model for image input.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultilabelnn import KerasMultilabelClassifier
    >>> X, y = make_multilabel_classification(n_classes=3, random_state=0)
    >>> clf = KerasMultilabelClassifier(hidden_layer_sizes=(16,), epochs=5,
    ...                                 random_state=0)
    >>> clf.fit(X, y).predict(X[:2]).shape
    (2, 3)
    >>> clf.predict_proba(X[:1]).shape
    (1, 3)
    """

    _parameter_constraints = {
        "model": [None, callable],
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "optimizer": [str, type, HasMethods(["apply_gradients"])],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [None, str, callable],
        "metrics": [None, list, tuple, dict],
        "threshold": [
            Interval(Real, 0, 1, closed="both"),
            StrOptions({"auto"}),
            "array-like",
        ],
        "threshold_metric": [StrOptions(set(THRESHOLD_METRICS))],
        "threshold_cv": [Interval(Integral, 2, None, closed="left")],
        "decision": [StrOptions({"threshold", "label_set"})],
        "at_least_one_label": ["boolean"],
        "class_weight": [None, dict, StrOptions({"balanced"})],
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [None, list, tuple, dict, HasMethods(["set_model"])],
    }

    def __init__(
        self,
        model=None,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        optimizer="adam",
        learning_rate=0.001,
        loss=None,
        metrics=None,
        threshold=0.5,
        threshold_metric="f1",
        threshold_cv=3,
        decision="threshold",
        at_least_one_label=False,
        class_weight=None,
        ensemble_size=5,
        epochs=200,
        batch_size=32,
        validation_split=0.1,
        early_stopping=True,
        n_iter_no_change=10,
        shuffle=True,
        warm_start=False,
        random_state=None,
        verbose=0,
        callbacks=None,
        **kwargs,
    ):
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.metrics = metrics
        self.threshold = threshold
        self.threshold_metric = threshold_metric
        self.threshold_cv = threshold_cv
        self.decision = decision
        self.at_least_one_label = at_least_one_label
        self.class_weight = class_weight
        self.ensemble_size = ensemble_size
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        # scikeras keeps routed parameters (``optimizer__beta_1``...) as
        # attributes, which its get_params and routing read back.
        vars(self).update(kwargs)
        if kwargs:
            self._user_params = set(kwargs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # scikeras puts ClassifierMixin after BaseEstimator, whose tags win.
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags(multi_label=True)
        tags.target_tags.required = True
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = True
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    @property
    def target_encoder(self):
        """Unfitted target encoder, the scikeras hook to override.

        Returns
        -------
        encoder : MultilabelTargetEncoder
            Encodes y for the network and decodes its 0/1 decisions.
        """
        return MultilabelTargetEncoder(dtype=keras.backend.floatx())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Training samples; more than two dimensions (images) need a model
            that accepts them.

        y : array-like, sparse matrix or DataFrame of shape (n_samples, n_labels) \
                or (n_samples,)
            A 0/1 label indicator matrix, or 1-D binary or multiclass labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss. Samples of weight 0 are left
            out.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        reset = not (self.warm_start and self.__sklearn_is_fitted__())
        return self._fit(
            X, y, sample_weight, epochs=self.epochs, reset=reset, tune=reset
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train the network for one epoch, building it on the first call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Training samples.

        y : array-like, sparse matrix or DataFrame of shape (n_samples, n_labels) \
                or (n_samples,)
            A 0/1 label indicator matrix, or 1-D binary or multiclass labels.

        classes : array-like of shape (n_classes,), default=None
            All classes of a 1-D target, needed on the first call when a batch
            may miss some. Ignored for an indicator matrix and after the first
            call.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : object
            The updated classifier.
        """
        reset = not self.__sklearn_is_fitted__()
        return self._fit(X, y, sample_weight, epochs=1, reset=reset, classes=classes)

    def initialize(self, X, y):
        """Build and compile the network for ``(X, y)`` without training it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples that fix the input shape.

        y : array-like, sparse matrix or DataFrame
            Targets that fix the output layer.

        Returns
        -------
        self : object
            The classifier, ready to predict or to train with ``partial_fit``.
        """
        self._validate_params()
        return self._fit(X, y, None, epochs=0, reset=True)

    def _fit(self, X, y, sample_weight, *, epochs, reset, tune=False, classes=None):
        """Validate, train and commit; ``tune``: learn ``threshold="auto"``."""
        with _transaction(self, keep_weights=not reset):
            X, y_encoded, sample_weight = self._validate_training_data(
                X, y, sample_weight, reset=reset, classes=classes
            )
            seed = self._draw_seed(reset)
            row_weights = self._row_weights(y_encoded, sample_weight)
            thresholds = None
            if tune and self._learns_thresholds():
                thresholds = self._cross_fit_thresholds(
                    X, y_encoded, row_weights, epochs, seed
                )
            if reset:
                model, history = self._train_networks(
                    X, y_encoded, row_weights, epochs, seed
                )
            else:
                model = self.model_
                data = self._training_data(X, y_encoded, row_weights, seed)
                history = self._train(model, data, epochs, False, seed)
        # the fitted state changes only now, all at once
        self.model_ = model
        self._seed = seed
        if reset or not hasattr(self, "history_"):
            self.history_ = defaultdict(list)
        for name, values in history.items():
            self.history_[name] += values
        self.n_iter_ = self.current_epoch
        if self.target_type_ == "multilabel-indicator":
            seen = seen_label_sets(y_encoded)
            if not reset and hasattr(self, "label_sets_"):
                seen = seen_label_sets(np.vstack([self.label_sets_, seen]))
            self.label_sets_ = seen
        if thresholds is not None:
            self.thresholds_ = thresholds
        elif reset:
            vars(self).pop("thresholds_", None)  # none stale from an earlier fit
        return self

    def _validate_training_data(self, X, y, sample_weight, *, reset, classes):
        """Check X, y and sample_weight; encode y; set the target's metadata."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        X = self._validate_X(X, reset=reset)
        if reset:
            self.X_shape_ = X.shape
            encoder = self.target_encoder
            if classes is not None:
                encoder.set_params(classes=classes)
            y_encoded = encoder.fit_transform(y)
            self.target_encoder_ = encoder
            vars(self).update(encoder.get_metadata())
        else:
            self._check_sample_shape(X)
            y_encoded = self.target_encoder_.transform(y)
        check_consistent_length(X, y_encoded)
        if self.out_activation_ == "sigmoid" and not self._learns_thresholds():
            check_threshold(self.threshold, self.n_outputs_)
        if sample_weight is not None:
            sample_weight = self._check_sample_weight(sample_weight, X, y_encoded)
        return X, y_encoded, sample_weight

    def _learns_thresholds(self):
        """Whether this fit learns ``thresholds_`` (a multiclass target never does)."""
        return (
            isinstance(self.threshold, str)
            and self.threshold == "auto"
            and getattr(self, "out_activation_", "sigmoid") == "sigmoid"
        )

    def _draw_seed(self, reset):
        """The fit's seed: drawn from ``random_state``; kept by ``partial_fit``."""
        if not reset and hasattr(self, "_seed"):
            return self._seed
        if self.random_state is None:
            return None
        return int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )

    def _training_data(self, X, y_encoded, row_weights, seed, rows=None):
        """The rows (all, or ``rows``) split into trained-on and validation rows.

        A random ``validation_split`` of the rows is held out for the
        validation loss. Rows of weight 0 are left out.
        """
        n_samples = X.shape[0]
        if rows is not None:
            mask = np.zeros(n_samples, dtype=bool)
            mask[rows] = True
            in_rows = mask if row_weights is None else mask * row_weights
        else:
            in_rows = row_weights
        train_rows, validation_rows = split_rows(
            n_samples,
            in_rows,
            held_out=self.validation_split,
            seed=seed,
            purpose="validation_split",
        )
        return TrainingData(X, y_encoded, row_weights, train_rows, validation_rows)

    def _cross_fit_thresholds(self, X, y_encoded, row_weights, epochs, seed):
        """``thresholds_`` from out-of-fold probabilities of ``threshold_cv`` networks.

        Each network is new, trained with this fit's settings (but no
        callbacks, silently) on every fold but one, and predicts only that
        fold, so no probability comes from a network that trained on its row.
        """
        rows = (
            np.arange(X.shape[0])
            if row_weights is None
            else np.flatnonzero(row_weights)
        )
        if rows.shape[0] < self.threshold_cv:
            raise ValueError(
                f"threshold='auto' learns the thresholds from {self.threshold_cv} "
                f"folds (threshold_cv) of the training rows; {rows.shape[0]} rows "
                "with non-zero weight are too few. Give more rows or lower "
                "threshold_cv."
            )
        folds = multilabel_folds(y_encoded, rows, self.threshold_cv, seed)
        out_of_fold = np.zeros((X.shape[0], self.n_outputs_))
        for k, fold in enumerate(folds):
            fold_seed = None if seed is None else _child_seed(seed, k)
            others = np.setdiff1d(rows, fold, assume_unique=True)
            model, _ = self._train_networks(
                X, y_encoded, row_weights, epochs, fold_seed, rows=others, quiet=True
            )
            out_of_fold[fold] = predict_in_chunks(model, X[fold])
        return learn_thresholds(
            y_encoded[rows], out_of_fold[rows], metric=self.threshold_metric
        )

    def _train_networks(
        self, X, y_encoded, row_weights, epochs, seed, rows=None, quiet=False
    ):
        """New networks, ``ensemble_size`` of them, trained on ``rows`` (all).

        Returns the network (for several, the model averaging their outputs)
        and the history (averaged over the networks). The first network is
        seeded by ``seed``, the others by seeds drawn from it.
        """
        members, histories = [], []
        for m in range(self.ensemble_size):
            member_seed = seed if m == 0 or seed is None else _child_seed(seed, -m)
            network = self._new_model(member_seed)
            data = self._training_data(X, y_encoded, row_weights, member_seed, rows)
            histories.append(
                self._train(network, data, epochs, True, member_seed, quiet=quiet)
            )
            members.append(network)
        if len(members) == 1:
            return members[0], histories[0]
        model = average_networks(members, self.X_shape_[1:], self._get_compile_kwargs())
        return model, mean_history(histories)

    def _row_weights(self, y_encoded, sample_weight):
        """Sample weights times Keras-style class weights of a softmax output."""
        if self.class_weight is None or self.out_activation_ != "softmax":
            return sample_weight
        weights = output_class_weights(
            self.class_weight, y_encoded, self.classes_, self.target_type_
        )
        per_class = np.array([weights[i] for i in range(self.n_outputs_)])
        row_weight = per_class[y_encoded.argmax(axis=1)].astype(y_encoded.dtype)
        return row_weight if sample_weight is None else row_weight * sample_weight

    def _train(self, model, data, epochs, reset, seed, quiet=False):
        """Run the engine on ``model``; return the history of these epochs.

        ``quiet``: without the callbacks and at verbosity 0.
        """
        routed = route_params(
            self.get_params(), destination="fit", pass_filter=self._fit_kwargs
        )
        batch_size = routed.get("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = data.train_rows.shape[0]
        options = TrainingOptions(
            epochs=epochs,
            initial_epoch=0 if reset else self.current_epoch,
            batch_size=int(batch_size),
            shuffle=routed.get("shuffle", self.shuffle),
            random_state=EpochRandomness(seed),
            callbacks=[] if quiet else self._build_callbacks(),
            verbose=0 if quiet else routed.get("verbose", self.verbose),
            early_stopping=self.early_stopping
            and (
                "val_loss" if data.validation_rows is not None else "loss",
                self.n_iter_no_change,
            ),
        )
        training_loss = self._training_loss(model, data.Y[data.train_rows])
        return train(model, training_loss, data, options)

    def _training_loss(self, model, y_train):
        """The model's loss, with ``class_weight`` for sigmoid outputs."""
        loss = as_loss(model.loss)
        if self.class_weight is None or self.out_activation_ != "sigmoid":
            return TrainingLoss(loss)
        focal = isinstance(self.loss, str) and self.loss == "binary_focal_crossentropy"
        if self.loss is not None and not focal:
            raise ValueError(
                "class_weight weighs the default loss or "
                f"'binary_focal_crossentropy'; got loss={self.loss!r}. Set "
                "class_weight=None to use this loss."
            )
        pos_weight, neg_weight = output_class_weights(
            self.class_weight, y_train, self.classes_, self.target_type_
        )
        return TrainingLoss(loss, np.asarray(pos_weight), np.asarray(neg_weight))

    def _check_sample_weight(self, sample_weight, X, y_encoded):
        sample_weight = _check_sample_weight(
            sample_weight,
            X,
            dtype=np.dtype(keras.backend.floatx()),
            ensure_non_negative=True,
        )
        if not sample_weight.any():
            raise ValueError(
                "sample_weight is zero for every sample: there is nothing to train on."
            )
        if self.target_type_ != "multilabel-indicator":
            # rows of the binary or one-hot encoding: one distinct row per class
            kept = y_encoded[sample_weight != 0]
            if np.unique(kept, axis=0).shape[0] < 2:
                raise ValueError(
                    "Only one class has samples with non-zero sample_weight; a "
                    "classifier needs samples of at least 2 classes."
                )
        return sample_weight

    def _validate_X(self, X, *, reset):
        """X checked as scikit-learn does, in the model's float dtype.

        Sparse X (CSR or CSC; other formats are converted) is returned as CSR,
        whose rows slice cheaply; it is never densified whole.
        """
        X = validate_data(
            self,
            X,
            reset=reset,
            allow_nd=True,
            accept_sparse=["csr", "csc"],
            dtype=keras.backend.floatx(),
        )
        return X.tocsr() if sp.issparse(X) else X

    def _check_sample_shape(self, X):
        if X.shape[1:] != tuple(self.X_shape_[1:]):
            raise ValueError(
                f"X has samples of shape {X.shape[1:]}, but {type(self).__name__} "
                f"was fitted on samples of shape {tuple(self.X_shape_[1:])}."
            )

    def _new_model(self, seed):
        """Build and compile a new network, seeded by ``seed``."""
        build = self._model_builder()
        params = self.get_params()
        kwargs = route_params(
            params,
            destination="model",
            pass_filter=getattr(self, "_user_params", set()),
            strict=True,
        )
        for name, value in (
            ("meta", self._get_metadata),
            ("compile_kwargs", self._get_compile_kwargs),
            ("params", self.get_params),
        ):
            if has_param(build, name) or accepts_kwargs(build):
                kwargs[name] = value()
        with keras_seed_scope(seed):
            model = build(**kwargs)
            if not isinstance(model, keras.Model):
                raise TypeError(
                    f"model must build a keras.Model; {self.model!r} returned "
                    f"{type(model).__name__}."
                )
            self._check_model_shapes(model)
            _refuse_lambda_layers(model)
            if not model.compiled:
                model.compile(**self._get_compile_kwargs())
        if not getattr(model, "loss", None) or not getattr(model, "optimizer", None):
            raise ValueError(
                "The model was compiled without a loss or an optimizer; compile it "
                "with both, or leave it uncompiled."
            )
        return model

    def _model_builder(self):
        """Return the function that builds the Keras model."""
        if self.model is None:
            return functools.partial(
                build_mlp,
                hidden_layer_sizes=_check_hidden_layer_sizes(self.hidden_layer_sizes),
                activation=self.activation,
                dropout=self.dropout,
            )
        if isinstance(self.model, keras.Model):
            model = self.model
            # A copy keeps the caller's model untouched and each fit independent.
            return lambda: copy.deepcopy(model)
        return self.model

    def _check_model_shapes(self, model):
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
        sample_shape = tuple(self.X_shape_[1:])
        if len(model_shape) != len(sample_shape) or any(
            m is not None and m != s
            for m, s in zip(model_shape, sample_shape, strict=True)
        ):
            raise ValueError(
                f"The model takes samples of shape {model_shape}, but X has samples "
                f"of shape {sample_shape}."
            )
        is_indicator = self.target_type_ == "multilabel-indicator"
        what = "labels" if is_indicator else "classes"
        n_units = outputs[0].shape[-1]
        if n_units is not None and n_units != self.n_outputs_:
            raise ValueError(
                f"The model has {n_units} output units, but y needs "
                f"{self.n_outputs_} (a {self.target_type_} target with "
                f"{self.n_classes_} {what})."
            )

    def _get_compile_kwargs(self):
        """Arguments of ``Model.compile``, routed and instantiated as scikeras does.

        scikeras' own version cannot take a default loss that depends on the
        target, nor a learning rate outside ``optimizer__``, so it is redone
        here with its helpers.
        """
        params = self.get_params()
        params["loss"] = self._default_loss(params)
        if not isinstance(params["optimizer"], keras.optimizers.Optimizer):
            params.setdefault("optimizer__learning_rate", self.learning_rate)
        compile_kwargs = route_params(
            params, destination="compile", pass_filter=self._compile_kwargs
        )
        for name, get_class in COMPILE_CLASS_GETTERS.items():
            items = try_to_convert_strings_to_classes(compile_kwargs[name], get_class)
            compile_kwargs[name] = unflatten_params(
                items=items,
                params=route_params(
                    params,
                    destination=name,
                    pass_filter=set(),
                    strict=name == "optimizer",
                ),
            )
        metrics = compile_kwargs["metrics"]
        if metrics is not None and not isinstance(metrics, (dict, list)):
            # Keras wants a list or a dict of metrics
            is_tuple = isinstance(metrics, tuple)
            compile_kwargs["metrics"] = list(metrics) if is_tuple else [metrics]
        return compile_kwargs

    def _default_loss(self, params):
        """The loss to compile with: the target's default, or Keras' focal loss.

        Classes rather than instances, so that ``loss__`` parameters reach them.
        The model is compiled with Keras' own losses only; ``class_weight``
        is applied by the training engine (see ``_training_loss``).
        """
        loss = params["loss"]
        if isinstance(loss, str) and loss == "binary_focal_crossentropy":
            return keras.losses.BinaryFocalCrossentropy
        if loss is None:
            return (
                keras.losses.BinaryCrossentropy
                if self.out_activation_ == "sigmoid"
                else keras.losses.CategoricalCrossentropy
            )
        return loss

    def _build_callbacks(self):
        """The fit's Keras callbacks, from ``callbacks`` and ``fit__callbacks``."""
        params = self.get_params()
        callbacks = []
        for destination in ("callbacks", "fit__callbacks"):
            if params.get(destination) is None:
                continue
            items = unflatten_params(
                items=params[destination],
                params=route_params(params, destination=destination, pass_filter=set()),
            )
            if isinstance(items, dict):
                items = list(items.values())
            elif not isinstance(items, (list, tuple)):
                items = [items]
            for item in items:
                nested = item if isinstance(item, (list, tuple)) else [item]
                for callback in nested:
                    if not isinstance(callback, keras.callbacks.Callback):
                        raise TypeError(
                            f"{destination} must hold keras.callbacks.Callback "
                            f"instances or classes; got {callback!r}."
                        )
                callbacks.extend(nested)
        return callbacks

    def _predict_outputs(self, X):
        """Validate X; return the network's outputs, shape (n_samples, n_outputs_)."""
        check_is_fitted(self)
        ndim = getattr(X, "ndim", None)
        if isinstance(ndim, int) and 2 <= ndim != len(self.X_shape_):
            # before validate_data, whose feature count would hide the cause
            self._check_sample_shape(X)
        X = self._validate_X(X, reset=False)
        self._check_sample_shape(X)
        batch_size = getattr(self, "predict__batch_size", None) or 4096
        outputs = predict_in_chunks(self.model_, X, batch_size=batch_size)
        if not np.isfinite(outputs).all():
            raise ValueError(
                "The network's outputs are not finite for "
                f"{int((~np.isfinite(outputs)).any(axis=1).sum())} of the "
                f"{X.shape[0]} samples (values too large for its weights). Scale X "
                "as it was scaled for fit (for example with "
                "sklearn.preprocessing.StandardScaler)."
            )
        return outputs

    def predict_proba(self, X):
        """Probability of each label (or class).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes_)
            For an indicator y, the probability of each label (rows need not
            sum to 1); for a 1-D y, the probability of each class in
            ``classes_``. Never squeezed: one sample gives one row.
        """
        outputs = self._predict_outputs(X)
        if self.target_type_ == "binary":
            return np.hstack([1 - outputs, outputs])
        return outputs

    def predict(self, X):
        """Predict the labels of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels) or (n_samples,)
            For an indicator y, the 0/1 matrix of probabilities at or above
            ``threshold`` (or, with ``decision="label_set"``, each sample's
            most probable label set among ``label_sets_``), in the dtype of
            the training y; for a 1-D y, the predicted class labels.
        """
        outputs = self._predict_outputs(X)
        if self.out_activation_ == "softmax":
            return self.target_encoder_.inverse_transform(outputs)
        if self.decision == "label_set" and hasattr(self, "label_sets_"):
            indicator = most_probable_label_sets(outputs, self.label_sets_)
            return self.target_encoder_.inverse_transform(indicator)
        if not self._learns_thresholds():
            threshold = check_threshold(self.threshold, self.n_outputs_)
        elif hasattr(self, "thresholds_"):
            threshold = self.thresholds_
        else:
            raise ValueError(
                "threshold='auto' learns the thresholds during fit, but this "
                "model was fitted with another threshold (or only by "
                "partial_fit); fit it again."
            )
        indicator = apply_threshold(outputs, threshold)
        if self.at_least_one_label and self.target_type_ == "multilabel-indicator":
            ensure_one_label(indicator, outputs)
        return self.target_encoder_.inverse_transform(indicator)

    def predict_labels(self, X):
        """Predict the names of each sample's labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples.

        Returns
        -------
        labels : list of tuple of length n_samples
            For an indicator y, the entries of ``classes_`` that ``predict``
            switches on, in ``classes_`` order, as
            :meth:`sklearn.preprocessing.MultiLabelBinarizer.inverse_transform`
            gives them (an empty tuple for a sample with no label); for a 1-D
            y, ``(predicted_class,)``. ``threshold`` and ``at_least_one_label``
            apply as in ``predict``.

        Examples
        --------
        >>> import pandas as pd
        >>> from sklearn.datasets import make_multilabel_classification
        >>> from skmultilabelnn import KerasMultilabelClassifier
        >>> X, y = make_multilabel_classification(n_classes=3, random_state=0)
        >>> Y = pd.DataFrame(y, columns=["sport", "tech", "food"])
        >>> clf = KerasMultilabelClassifier(hidden_layer_sizes=(16,), epochs=5,
        ...                                 random_state=0).fit(X, Y)
        >>> clf.set_params(threshold=0.0).predict_labels(X[:2])
        [('sport', 'tech', 'food'), ('sport', 'tech', 'food')]
        """
        y_pred = self.predict(X)
        if self.target_type_ != "multilabel-indicator":
            return [(label,) for label in y_pred.tolist()]
        binarizer = MultiLabelBinarizer(classes=self.classes_).fit([])
        return binarizer.inverse_transform(y_pred)

    __repr__ = BaseEstimator.__repr__

    def __getstate__(self):
        # networks as .keras archives: pickle and skops files alike hold no
        # pickled Keras object, and skops can save the estimator safely
        return state_with_archives(vars(self))

    def __setstate__(self, state):
        vars(self).update(state_from_archives(state))

    # scikeras' score re-validates y with its own checks; scikit-learn's is
    # subset accuracy for an indicator y and accuracy for a 1-D y.
    score = ClassifierMixin.score


def _child_seed(seed, k):
    """A seed drawn from ``seed``: for fold ``k`` >= 0 or ensemble member ``-k``."""
    return int(np.random.SeedSequence([seed, k % 2**32]).generate_state(1)[0] >> 1)


def _check_hidden_layer_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a tuple of ints; an int is one layer, as in sklearn."""
    if isinstance(hidden_layer_sizes, Integral):
        hidden_layer_sizes = (hidden_layer_sizes,)
    sizes = tuple(hidden_layer_sizes)
    bad = [size for size in sizes if not isinstance(size, Integral) or size < 1]
    if bad or isinstance(hidden_layer_sizes, str):
        raise ValueError(
            "hidden_layer_sizes must be an int or a sequence of ints >= 1 (units "
            f"per hidden layer); got {hidden_layer_sizes!r}."
        )
    return tuple(int(size) for size in sizes)


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


@contextmanager
def _transaction(estimator, *, keep_weights):
    """Undo a failed or interrupted fit: the estimator's attributes and weights.

    ``keep_weights`` also saves the fitted network's weights and optimizer
    state, which a warm start trains in place.
    """
    saved = dict(vars(estimator))
    model = saved.get("model_") if keep_weights else None
    if model is not None:
        weights = [v.numpy() for v in (*model.variables, *model.optimizer.variables)]
    try:
        yield
    except BaseException:
        vars(estimator).clear()
        vars(estimator).update(saved)
        if model is not None:
            variables = (*model.variables, *model.optimizer.variables)
            for variable, value in zip(variables, weights, strict=True):
                variable.assign(value)
        raise

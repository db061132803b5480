"""KerasMultilabelClassifier: a scikeras KerasClassifier for multilabel targets."""

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
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ._compat._keras import KerasClassifier
from ._compat._sklearn import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    validate_parameter_constraints,
)
from ._decision import DecisionRule, check_threshold
from ._engine import predict as predict_in_chunks
from ._label_sets import seen_label_sets
from ._persistence import state_from_archives, state_with_archives
from ._ranking import RankedLabels, check_k, top_k
from ._resolve import resolve_training, training_row_weight
from ._target import MultilabelTargetEncoder
from ._thresholds import THRESHOLD_METRICS
from ._training import (
    Seeds,
    cross_fit_thresholds,
    fit_cross_fitted,
    fit_networks,
    train_further,
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

    hidden_layer_sizes : array-like of int, default=(512,)
        Units of each hidden layer of the default model.

    activation : str or callable, default="relu"
        Activation of the hidden layers of the default model, any name Keras
        accepts.

    dropout : float, default=0.5
        Dropout rate after each hidden layer of the default model.

    optimizer : str, keras.optimizers.Optimizer or its class, default="adam"
        Optimizer; ``optimizer__<name>`` parameters are passed to it.

    learning_rate : float, default=0.003
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

    threshold : float, array-like of shape (n_labels,) or "auto", default="auto"
        A label is predicted when its probability is at least its threshold:
        one value for all labels or one per label, in [0, 1]. For a binary
        target it applies to the probability of ``classes_[1]``; a multiclass
        target predicts the most probable class and ignores it. A number or
        array is read by ``predict`` only, so ``set_params(threshold=...)``
        needs no refit.

        ``"auto"`` learns one threshold per label (``thresholds_``) at
        ``fit`` from out-of-fold probabilities, probabilities of rows from
        networks that never trained on them (see ``threshold_cv``: by
        default the ensemble's own members, so at no extra training). The
        thresholds maximise ``threshold_metric`` on those probabilities,
        shrunk toward one shared threshold for labels with few positives (a
        label with ``n`` positives keeps ``n / (n + 10)`` of its own), then
        pulled back toward 0.5 as far as needed for neither
        ``threshold_metric`` nor micro-F1 to score below the 0.5 cut on those
        probabilities. ``partial_fit`` and a warm-started ``fit`` keep the
        thresholds of the last full fit; a model trained by those alone has
        none and predicts at 0.5.

    threshold_metric : {"f1", "f1_micro", "f1_samples"}, default="f1"
        What ``threshold="auto"`` maximises: ``"f1"`` each label's own F1
        (macro-F1), ``"f1_micro"`` the F1 of all label decisions pooled,
        ``"f1_samples"`` the mean F1 of each sample's predicted label set.

    threshold_cv : int or "ensemble", default="ensemble"
        Where the out-of-fold probabilities of ``threshold="auto"`` come
        from. ``"ensemble"``: the ensemble's members are the folds' models.
        The rows are split into ``ensemble_size`` folds that share out each
        label's positives (iterative stratification); member ``m`` trains on
        all but fold ``m``, validates (and stops early) on it instead of on
        ``validation_split``, and its probabilities on fold ``m`` are the
        out-of-fold ones, so the thresholds cost no extra training. With
        ``ensemble_size=1`` the one network's ``validation_split`` rows are
        its out-of-fold rows (with ``validation_split=0`` there are none:
        no thresholds are learned and ``predict`` uses 0.5). An int ``k``
        (at least 2): ``k`` more ensembles, each trained (with the same
        settings) on all the rows but one of ``k`` folds, predict the fold
        they did not train on; the ensemble kept is trained on all the rows.
        It costs ``k + 1`` trainings instead of one.

    decision : {"threshold", "label_set", "top_k"}, default="threshold"
        How ``predict`` turns a multilabel target's probabilities into
        labels. ``"threshold"`` compares each label with its threshold.
        ``"label_set"`` predicts, for each sample, the most probable of the
        label sets seen in training (``label_sets_``), the probability of a
        set being the product of ``p`` over its labels and ``1 - p`` over the
        others: it aims at subset accuracy (the whole set right), never
        predicts a combination the training data lacks, and ignores
        ``threshold`` and ``at_least_one_label``. ``"top_k"`` predicts each
        sample's ``top_k`` most probable labels (ties go to the label of
        lower index), for tagging judged by precision at k; it ignores
        ``threshold`` and ``at_least_one_label``. Read by ``predict`` only,
        so it needs no refit.

    top_k : int, default=5
        The number of labels of ``decision="top_k"``, and of
        :meth:`predict_ranked` by default; at most the number of labels.
        Read at prediction only.

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
        validation rows: a fold of the rows with ``threshold="auto"`` and
        ``threshold_cv="ensemble"``, else random ones), whose probabilities
        are averaged; ``model_``
        is then one Keras model holding them all. An ensemble is better
        calibrated and less sensitive to the seed than one network, at
        ``ensemble_size`` times the training time (small for small data with
        the default early stopping). Members train at the same time, one
        per core (threads), when there are no callbacks, Keras metrics or
        progress output, as many as keep the memory the others add (a copy
        of X and of the network's variables each) within scikit-learn's
        ``working_memory`` (see :func:`sklearn.set_config`); the results
        are those of one member after the other. 1 trains a single network.

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
        Stop when the monitored score has not improved for
        ``n_iter_no_change`` epochs, and restore the best weights. The
        validation rows' ``scoring`` is monitored when there are validation
        rows (``validation_split > 0``, or each member's own fold in the
        cross-fitted ensemble), the training loss otherwise. With the
        defaults, the training length adapts to the data: small data sets
        stop after a few dozen epochs.

    n_iter_no_change : int, default=5
        Patience of early stopping, in epochs.

    scoring : {"roc_auc", "loss"}, default="roc_auc"
        What early stopping monitors on the validation rows (as the
        ``scoring`` of :class:`~sklearn.ensemble.HistGradientBoostingClassifier`).
        "roc_auc": the mean over labels of each label's ROC AUC (scikit-learn's
        ``roc_auc_score(average="macro")``, leaving out labels with one class
        among the validation rows; the loss where every label has one),
        recorded as ``val_roc_auc`` in ``history_``. It scores how well the
        outputs rank each label's positives above its negatives, what
        learned thresholds turn into decisions, and gives rare labels the
        weight of common ones: the validation loss, dominated by the common
        labels, often stops before the rare ones are learned. "loss": the
        validation loss (the behaviour of 0.1.x).

    sparse_updates : {"lazy", "dense"}, default="lazy"
        How a wide sparse X (a ``scipy.sparse`` matrix, such as TF-IDF
        features, with at least 4 times more columns than a batch has
        non-zeros) updates the first layer, when the network starts with a
        plain ``Dense`` layer (the default network does) on the JAX or
        TensorFlow backend. Such an X is never densified: the first layer's
        product is computed from the columns a batch touches (narrower
        sparse X is densified a few batches at a time, which is faster
        there). "lazy" updates only the kernel rows of
        the features present in a batch, and their Adam moments (as
        TensorFlow Addons' ``LazyAdam`` and PyTorch's ``SparseAdam``):
        the rows of absent features keep their weights and moments, weight
        decay (AdamW) included, which makes training on wide sparse data
        many times faster and changes the results slightly. "dense" updates
        every row at every step, as on dense X. Optimizers other than Adam
        and AdamW (or with gradient clipping, AMSGrad, a moving average,
        gradient accumulation or a learning-rate schedule) always update
        densely. Ignored for dense and narrow sparse X.

    sampled_labels : int, default=None
        For outputs of many labels (thousands and more): train each step on
        the labels positive in its batch and ``sampled_labels`` others drawn
        uniformly at random, instead of every label (negative sampling, as
        extreme classification does). The step computes those labels'
        outputs only and updates their output-layer columns (and their Adam
        moments, lazily as ``sparse_updates="lazy"`` does, for Adam and
        AdamW); each drawn label's terms are weighted by (labels without a
        positive in the batch) / ``sampled_labels``, so the loss is an
        unbiased estimate of the full one and the probabilities keep its
        scale. Prediction, validation losses and thresholds use every label.
        Needs the JAX or TensorFlow backend, a network that is one chain of
        layers ending in a plain sigmoid ``Dense`` layer (the default
        network is), the default loss or ``"binary_focal_crossentropy"``
        and no training ``metrics``; a sparse X is densified a few batches
        at a time on this path. None, or at least the number of labels,
        trains every label at every step.

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

    label_sets_ : {ndarray, sparse matrix} of shape (n_label_sets, n_outputs_)
        The distinct label sets (0/1 rows) of the training target, for a
        multilabel target: the candidates of ``decision="label_set"`` (a CSR
        matrix when y was sparse).

    thresholds_ : ndarray of shape (n_outputs_,)
        The per-label thresholds learned with ``threshold="auto"`` (absent
        otherwise).

    Notes
    -----
    Training runs in the package's own engine, not in ``Model.fit``: on the
    TensorFlow and JAX backends each epoch is one call into a function compiled
    once per architecture, optimizer and loss (a fit with nothing to do between
    its epochs, without validation rows, callbacks, metrics or progress bar,
    runs many epochs per call, with the same steps; ``jax.jit`` of a
    ``lax.scan``; a
    ``tf.function``, compiled with XLA for fits of 2,000 gradient steps or
    more, dropout then drawing its masks with the Philox algorithm, unless the
    model has other random layers) and reused by every later fit of the same
    architecture in the process, over X held once in memory; sparse X is
    densified a few batches at a time (or, when wide, read through the first
    layer's sparse product), and so are the rows of a sparse y, which is never
    densified whole (``predict`` then returns a CSR matrix; learned thresholds
    come from at most 2**24 out-of-fold scores, a random subset of the rows
    when there are many labels). Compilations (JAX's, and XLA's on TensorFlow)
    are specialised to their shapes, so the rows of X, the batches of an epoch
    and the rows of a prediction chunk are padded up to a grid of sizes (eight
    per doubling) with padding that changes no result, so that fits of nearby
    sizes (cross-validation folds, ``X[i:]``) share a compilation. The epochs,
    batches and gradient steps are Keras' own: the last batch of an epoch is
    the short one. Other backends train through ``Model.fit``.

    Callbacks run at epoch granularity: ``on_epoch_begin`` and
    ``on_epoch_end`` as usual, and the per-batch methods once per epoch,
    ``on_train_batch_end`` with the last batch's index and the epoch's
    logs. The model's weights are written back after every epoch when there
    are callbacks, so that they can read or change them.

    Randomness comes only from ``random_state``: weight initialisation and
    dropout layers draw their seeds from a generator of the fit's own, and
    epoch ``e`` shuffles with ``numpy.random.default_rng([seed, e])``, so
    ``partial_fit`` on an unpickled estimator continues the same sequence.

    The defaults were chosen by their mean rank (micro- and macro-F1) over a
    development suite of 17 public multilabel sets, against other settings
    and scikit-learn's default baselines (``benchmarks/choose_defaults.py``
    in the source repository, with leave-one-set-out ranks).

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
        "threshold_cv": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"ensemble"}),
        ],
        "decision": [StrOptions({"threshold", "label_set", "top_k"})],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "at_least_one_label": ["boolean"],
        "class_weight": [None, dict, StrOptions({"balanced"})],
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "scoring": [StrOptions({"roc_auc", "loss"})],
        "sparse_updates": [StrOptions({"lazy", "dense"})],
        "sampled_labels": [None, Interval(Integral, 1, None, closed="left")],
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
        hidden_layer_sizes=(512,),
        activation="relu",
        dropout=0.5,
        optimizer="adam",
        learning_rate=0.003,
        loss=None,
        metrics=None,
        threshold="auto",
        threshold_metric="f1",
        threshold_cv="ensemble",
        decision="threshold",
        top_k=5,
        at_least_one_label=False,
        class_weight=None,
        ensemble_size=5,
        epochs=200,
        batch_size=32,
        validation_split=0.1,
        early_stopping=True,
        n_iter_no_change=5,
        scoring="roc_auc",
        sparse_updates="lazy",
        sampled_labels=None,
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
        self.top_k = top_k
        self.at_least_one_label = at_least_one_label
        self.class_weight = class_weight
        self.ensemble_size = ensemble_size
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.scoring = scoring
        self.sparse_updates = sparse_updates
        self.sampled_labels = sampled_labels
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
        new = not (self.warm_start and self.__sklearn_is_fitted__())
        return self._fit(
            X, y, sample_weight, epochs=self.epochs, new_networks=new, full_fit=new
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train the network for one epoch, building it on the first call.

        The first call builds ``ensemble_size`` networks and trains each for
        an epoch; later calls train the ensemble on as one model. No
        thresholds are learned: with ``threshold="auto"``, those of the last
        full ``fit`` are kept.

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
        new = not self.__sklearn_is_fitted__()
        return self._fit(
            X, y, sample_weight, epochs=1, new_networks=new, classes=classes
        )

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
        return self._fit(X, y, None, epochs=0, new_networks=True)

    def _fit(
        self, X, y, sample_weight, *, epochs, new_networks, full_fit=False, classes=None
    ):
        """Validate, resolve the training once, train, then assign the fitted state.

        ``new_networks``: build new networks (else train the fitted ones on);
        ``full_fit``: a ``fit`` that builds them, the one that learns
        ``threshold="auto"``.
        """
        warm_model = None if new_networks else self.model_
        with _undo_on_failure(self, warm_model):
            if warm_model is not None:
                self._check_unchanged_network()
            X, encoder, Y, sample_weight = self._validate_training_data(
                X, y, sample_weight, new_target=new_networks, classes=classes
            )
            meta = self._fit_metadata(X, encoder)
            spec = self._training_spec(meta, epochs=epochs)
            seeds = Seeds(self._draw_seed(new_networks))
            row_weight = training_row_weight(self.class_weight, meta, Y, sample_weight)
            thresholds = model = None
            if full_fit and _learns_thresholds(self.threshold, meta["out_activation_"]):
                model, history, thresholds = self._learn_thresholds(
                    spec, X, Y, row_weight, seeds
                )
            if model is None and new_networks:
                model, history = fit_networks(spec, X, Y, row_weight, seeds)
            elif model is None:
                model = warm_model
                history = train_further(
                    spec, model, X, Y, row_weight, seeds, initial_epoch=self.n_iter_
                )
        # the fitted state changes only now, all at once
        if new_networks:
            vars(self).update(meta)
            self._network_params = self._network_defining_params()
        self.model_ = model
        self._seed = seeds.fit
        self.history_ = _extended_history(
            None if new_networks else self.history_, history
        )
        self.n_iter_ = len(self.history_.get("loss", ()))
        if meta["target_type_"] == "multilabel-indicator":
            self.label_sets_ = _label_sets(
                Y, sample_weight, None if new_networks else self.label_sets_
            )
        if thresholds is not None:
            self.thresholds_ = thresholds
        elif new_networks:
            vars(self).pop("thresholds_", None)  # none stale from an earlier fit
        return self

    def _learn_thresholds(self, spec, X, Y, row_weight, seeds):
        """``(model, history, thresholds_)``; the model is None unless it was trained.

        ``threshold_cv="ensemble"``: the members are the folds' models, so the
        thresholds cost no training; an int: ``threshold_cv`` more trainings.
        """
        metric = self.threshold_metric
        if isinstance(self.threshold_cv, str):
            return fit_cross_fitted(spec, X, Y, row_weight, seeds, metric=metric)
        thresholds = cross_fit_thresholds(
            spec, X, Y, row_weight, seeds, n_folds=self.threshold_cv, metric=metric
        )
        return None, None, thresholds

    def _validate_training_data(self, X, y, sample_weight, *, new_target, classes):
        """Check X, y and sample_weight; return them with the fitted target encoder.

        Returns ``(X, encoder, Y, sample_weight)``: ``Y`` is ``y`` encoded by
        ``encoder`` (a new one fitted on ``y`` when ``new_target``, else the
        fitted ``target_encoder_``).
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        X = self._validate_X(X, reset=new_target)
        if new_target:
            encoder = self.target_encoder
            if classes is not None:
                encoder.set_params(classes=classes)
            Y = encoder.fit_transform(y)
        else:
            self._check_sample_shape(X)
            encoder = self.target_encoder_
            Y = encoder.transform(y)
        check_consistent_length(X, Y)
        if encoder.out_activation_ == "sigmoid" and not _learns_thresholds(
            self.threshold, encoder.out_activation_
        ):
            check_threshold(self.threshold, encoder.n_outputs_)
        if sample_weight is not None:
            sample_weight = _check_training_sample_weight(
                sample_weight, X, Y, encoder.target_type_
            )
        return X, encoder, Y, sample_weight

    def _fit_metadata(self, X, encoder):
        """What a fit knows of its data: ``meta`` of the model builders.

        The shape of X, the input checks' ``n_features_in_`` (and
        ``feature_names_in_``), the target encoder and its metadata. A fit
        that builds networks assigns these as fitted attributes.
        """
        meta = {"X_shape_": X.shape, "n_features_in_": self.n_features_in_}
        if hasattr(self, "feature_names_in_"):
            meta["feature_names_in_"] = self.feature_names_in_
        meta["target_encoder_"] = encoder
        meta.update(encoder.get_metadata())
        return meta

    def _training_spec(self, meta, *, epochs):
        """Resolve, once, everything this fit's networks need (``TrainingSpec``).

        What scikeras is used for: its parameter routing (``model__``,
        ``optimizer__``, ``loss__``, ``compile__``, ``fit__``,
        ``callbacks__``, kept as attributes that ``get_params`` returns) and
        its ``model=`` builder protocol (``meta``, ``compile_kwargs``,
        ``params``); the fit, prediction, scoring and tags are this class's.
        """
        return resolve_training(
            self.get_params(),
            meta,
            epochs=epochs,
            model_params=getattr(self, "_user_params", set()),
            compile_names=self._compile_kwargs,
            fit_names=self._fit_kwargs,
        )

    def _network_defining_params(self):
        """The parameters that shape the fitted networks (see warm starts)."""
        params = self.get_params()
        names = (
            "model",
            "hidden_layer_sizes",
            "activation",
            "dropout",
            "ensemble_size",
        )
        shaping = {name: params[name] for name in names}
        shaping.update({k: v for k, v in params.items() if k.startswith("model__")})
        if isinstance(shaping["model"], keras.Model):
            # kept by name: the fitted state holds no second copy of a model
            shaping["model"] = f"<keras.Model {shaping['model'].name!r}>"
        return shaping

    def _check_unchanged_network(self):
        """Refuse to train on a network that the parameters no longer describe."""
        before = getattr(self, "_network_params", None)
        if before is None:
            return  # fitted by an older version: nothing to compare
        now = self._network_defining_params()
        for name in sorted(set(before) | set(now)):
            if not _same_value(before.get(name), now.get(name)):
                raise ValueError(
                    f"{name} is {now.get(name)!r}, but the fitted network was "
                    f"built with {before.get(name)!r}; a warm-started fit or "
                    "partial_fit trains the fitted network on and cannot change "
                    "it. Set warm_start=False (or fit a new estimator) to build "
                    "a new one."
                )

    def _draw_seed(self, new_networks):
        """The fit's seed: drawn from ``random_state``; kept when training on."""
        if not new_networks and hasattr(self, "_seed"):
            return self._seed
        if self.random_state is None:
            return None
        return int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )

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

    def _decision_rule(self):
        """The rule ``predict`` applies, from the predict-time parameters.

        ``threshold``, ``decision``, ``top_k`` and ``at_least_one_label`` are
        read here and only here, and checked as ``fit`` checks them, since
        ``set_params`` may change them without a refit.
        """
        check_is_fitted(self)
        validate_parameter_constraints(
            {name: self._parameter_constraints[name] for name in PREDICT_PARAMS},
            {name: getattr(self, name) for name in PREDICT_PARAMS},
            caller_name=type(self).__name__,
        )
        if self.out_activation_ == "softmax":
            return DecisionRule("most_probable_class")
        if self.decision == "label_set" and hasattr(self, "label_sets_"):
            return DecisionRule("label_set", label_sets=self.label_sets_)
        if self.decision == "top_k" and self.target_type_ == "multilabel-indicator":
            return DecisionRule(
                "top_k", k=check_k(self.top_k, self.n_outputs_, name="top_k")
            )
        if not _learns_thresholds(self.threshold, self.out_activation_):
            threshold = check_threshold(self.threshold, self.n_outputs_)
            # one value per output, so that a plot can show each of them
            thresholds = np.broadcast_to(threshold, (self.n_outputs_,)).copy()
        elif hasattr(self, "thresholds_"):
            thresholds = self.thresholds_
        else:
            # trained by partial_fit or warm-started fits alone, which learn
            # no thresholds: the usual cut, as documented under threshold
            thresholds = np.full(self.n_outputs_, 0.5)
        return DecisionRule(
            "threshold",
            thresholds=thresholds,
            at_least_one_label=bool(self.at_least_one_label)
            and self.target_type_ == "multilabel-indicator",
        )

    def _predict_outputs(self, X):
        """Validate X; return the network's outputs, shape (n_samples, n_outputs_)."""
        return np.concatenate(list(self._output_chunks(X)))

    def _output_chunks(self, X):
        """Validate X; yield the network's outputs a chunk of rows at a time.

        A chunk's outputs take at most ``OUTPUT_CHUNK_BYTES`` (as float32),
        so that a decision or ranking over many labels never holds every
        sample's outputs at once; X is validated before the first chunk.
        """
        check_is_fitted(self)
        ndim = getattr(X, "ndim", None)
        if isinstance(ndim, int) and 2 <= ndim != len(self.X_shape_):
            # before validate_data, whose feature count would hide the cause
            self._check_sample_shape(X)
        X = self._validate_X(X, reset=False)
        self._check_sample_shape(X)
        return self._outputs_of_valid(X)

    def _outputs_of_valid(self, X):
        batch_size = getattr(self, "predict__batch_size", None) or 4096
        n_samples = X.shape[0]
        rows = max(1, OUTPUT_CHUNK_BYTES // (4 * self.n_outputs_))
        for start in range(0, n_samples, rows):
            chunk = X[start : start + rows]
            outputs = predict_in_chunks(self.model_, chunk, batch_size=batch_size)
            if not np.isfinite(outputs).all():
                raise ValueError(
                    "The network's outputs are not finite for "
                    f"{int((~np.isfinite(outputs)).any(axis=1).sum())} of the "
                    f"{chunk.shape[0]} samples from sample {start} (values too "
                    "large for its weights). Scale X as it was scaled for fit "
                    "(for example with sklearn.preprocessing.StandardScaler)."
                )
            yield outputs

    def _proba_of(self, outputs):
        if self.target_type_ == "binary":
            return np.hstack([1 - outputs, outputs])
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
        return self._proba_of(self._predict_outputs(X))

    def predict(self, X):
        """Predict the labels of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples.

        Returns
        -------
        y_pred : {ndarray, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            For an indicator y, the 0/1 matrix of probabilities at or above
            ``threshold`` (or, with ``decision="label_set"``, each sample's
            most probable label set among ``label_sets_``; with
            ``decision="top_k"``, its ``top_k`` most probable labels), in the
            dtype of the training y, and a CSR matrix when that y was sparse;
            for a 1-D y, the predicted class labels.
        """
        rule = self._decision_rule()
        decode = self.target_encoder_.inverse_transform
        parts = [decode(rule.decide(outputs)) for outputs in self._output_chunks(X)]
        if sp.issparse(parts[0]):
            return sp.vstack(parts, format="csr")
        return np.concatenate(parts)

    def predict_ranked(self, X, k=None):
        """Each sample's ``k`` most probable labels and their probabilities.

        Computed a chunk of samples at a time: the full matrix of
        probabilities is never held, so it serves thousands of labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, ...)
            Samples.
        k : int, default=None
            The number of labels per sample, at most ``n_classes_``; by
            default ``top_k``.

        Returns
        -------
        ranked : RankedLabels
            ``indices`` (columns of ``predict_proba``, i.e. positions in
            ``classes_``) and ``scores`` (their probabilities), both of shape
            (n_samples, k), best first, ties to the lower index; ``labels``
            gives the ``classes_`` entries. The ranking metrics of
            :mod:`skmultilabelnn.metrics` take it in place of
            ``predict_proba``.

        Examples
        --------
        >>> from sklearn.datasets import make_multilabel_classification
        >>> from skmultilabelnn import KerasMultilabelClassifier
        >>> X, y = make_multilabel_classification(n_classes=4, random_state=0)
        >>> clf = KerasMultilabelClassifier(hidden_layer_sizes=(16,), epochs=5,
        ...                                 random_state=0).fit(X, y)
        >>> clf.predict_ranked(X[:3], k=2).indices.shape
        (3, 2)
        """
        check_is_fitted(self)
        if k is None:
            validate_parameter_constraints(
                {"top_k": self._parameter_constraints["top_k"]},
                {"top_k": self.top_k},
                caller_name=type(self).__name__,
            )
            k = check_k(self.top_k, self.n_classes_, name="top_k")
        else:
            k = check_k(k, self.n_classes_)
        chunks = [top_k(self._proba_of(o), k) for o in self._output_chunks(X)]
        return RankedLabels(
            np.concatenate([chunk.indices for chunk in chunks]),
            np.concatenate([chunk.scores for chunk in chunks]),
            self.n_classes_,
            self.classes_,
        )

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


#: The parameters that only ``predict`` reads; ``set_params`` of them needs no
#: refit, so they are checked again where ``predict`` reads them.
PREDICT_PARAMS = ("threshold", "decision", "top_k", "at_least_one_label")

#: Largest chunk of network outputs ``predict`` and ``predict_ranked`` hold at
#: once (float32 bytes; at least one row).
OUTPUT_CHUNK_BYTES = 64 * 2**20

#: The attributes scikit-learn's input checks set during a fit.
_INPUT_CHECK_ATTRIBUTES = ("n_features_in_", "feature_names_in_")


def _learns_thresholds(threshold, out_activation):
    """Whether ``threshold="auto"`` applies (a softmax output has no thresholds)."""
    return (
        isinstance(threshold, str)
        and threshold == "auto"
        and out_activation == "sigmoid"
    )


def _extended_history(previous, history):
    """A new history: ``previous`` (or nothing) followed by ``history``'s epochs."""
    extended = defaultdict(list, {k: list(v) for k, v in (previous or {}).items()})
    for name, values in history.items():
        extended[name] += values
    return extended


def _label_sets(Y, sample_weight, previous):
    """The label sets of the rows trained on (weight not 0), with ``previous``'s."""
    trained = Y if sample_weight is None else Y[sample_weight != 0]
    if previous is not None:
        if sp.issparse(trained) or sp.issparse(previous):
            trained = sp.vstack([sp.csr_matrix(previous), sp.csr_matrix(trained)])
        else:
            trained = np.vstack([previous, trained])
    return seen_label_sets(trained)


def _check_training_sample_weight(sample_weight, X, Y, target_type):
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
    if target_type != "multilabel-indicator":
        # rows of the binary or one-hot encoding: one distinct row per class
        kept = Y[sample_weight != 0]
        if np.unique(kept, axis=0).shape[0] < 2:
            raise ValueError(
                "Only one class has samples with non-zero sample_weight; a "
                "classifier needs samples of at least 2 classes."
            )
    return sample_weight


def _same_value(before, now):
    """Whether two parameter values are equal (sequences element by element)."""
    if before is now:
        return True
    if isinstance(before, (list, tuple, np.ndarray)) or isinstance(
        now, (list, tuple, np.ndarray)
    ):
        try:
            return bool(np.array_equal(np.asarray(before), np.asarray(now)))
        except (TypeError, ValueError):
            return False
    try:
        return bool(before == now)
    except (TypeError, ValueError):
        return False


@contextmanager
def _undo_on_failure(estimator, warm_model):
    """Undo what a failed or interrupted fit changed before its end.

    A fit assigns its fitted state only once it has succeeded; before that,
    two things change: scikit-learn's input checks (``n_features_in_``,
    ``feature_names_in_``) and, in a warm start, the weights and optimizer
    state of the fitted ``warm_model``, trained in place. Both are restored.
    """
    saved = {
        name: vars(estimator)[name]
        for name in _INPUT_CHECK_ATTRIBUTES
        if name in vars(estimator)
    }
    if warm_model is not None:
        # the state training will change (an ensemble's optimizer is built
        # at its first warm start)
        warm_model.optimizer.build(warm_model.trainable_variables)
        variables = (*warm_model.variables, *warm_model.optimizer.variables)
        weights = [keras.ops.convert_to_numpy(v) for v in variables]
    try:
        yield
    except BaseException:
        for name in _INPUT_CHECK_ATTRIBUTES:
            vars(estimator).pop(name, None)
        vars(estimator).update(saved)
        if warm_model is not None:
            for variable, value in zip(variables, weights, strict=True):
                variable.assign(value)
        raise

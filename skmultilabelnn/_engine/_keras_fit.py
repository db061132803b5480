"""Training through Keras' own ``Model.fit``, for backends without an engine."""

import keras
from keras import ops

from .._compat._keras import compiled_metric_arguments
from ._data import dense
from ._roc_auc import macro_roc_auc


def fit_with_keras(model, training_loss, data, options):
    """Train ``model`` with ``Model.fit``: same rows, loss, weights and callbacks.

    The label weights travel in a Keras loss that applies them; shuffling is
    Keras' own, so it is reproducible only as far as that backend's is.
    Same parameters and return value as ``run_epochs``.
    """
    if options.samples_labels(data.Y.shape[1]):
        raise ValueError(
            "sampled_labels needs the JAX or TensorFlow backend; got "
            f"{keras.backend.backend()!r}. Set sampled_labels=None."
        )
    if training_loss.label_weighted:
        model.compile(
            optimizer=model.optimizer,
            loss=_LabelWeightedLoss(training_loss),
            metrics=compiled_metric_arguments(model),
        )
    X, Y, W = data.arrays()
    train = data.train_rows
    validation = None
    callbacks = options.callbacks
    if data.validation_rows is not None:
        rows = data.validation_rows
        # Keras' own fit takes sparse arrays on some backends only: other
        # backends than TensorFlow and JAX hold the whole fit dense
        validation = (dense(X[rows]), dense(Y[rows]), W[rows])
        scored = options.roc_auc_rows
        if scored is not None:
            if scored is not rows:  # a subset: else the same arrays serve
                validation_scored = (dense(X[scored]), dense(Y[scored]), W[scored])
            else:
                validation_scored = validation
            # before the callbacks that read it
            callbacks = [_ValidationROCAUC(*validation_scored), *callbacks]
    if options.early_stopping is not None:
        stopper = keras.callbacks.EarlyStopping(
            monitor=options.early_stopping.monitor,
            mode="max" if options.early_stopping.higher_is_better else "min",
            patience=options.early_stopping.patience,
            restore_best_weights=True,
        )
        callbacks = [*callbacks, stopper]
    result = model.fit(
        dense(X[train]),
        dense(Y[train]),
        sample_weight=W[train],
        validation_data=validation,
        batch_size=options.batch_size,
        epochs=options.initial_epoch + options.epochs,
        initial_epoch=options.initial_epoch,
        shuffle=options.shuffle,
        callbacks=callbacks,
        verbose=options.verbose,
    )
    return {name: [float(v) for v in values] for name, values in result.history.items()}


class _LabelWeightedLoss(keras.losses.Loss):
    """A loss of per-label terms weighted by each label's side (``class_weight``)."""

    def __init__(self, training_loss):
        super().__init__(
            name=training_loss.loss.name, reduction=training_loss.loss.reduction
        )
        self.training_loss = training_loss

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(y_true, y_pred.dtype)
        pos, neg = self.training_loss.weights(y_pred.shape[-1], "float32")
        terms = self.training_loss.loss.call(y_true[..., None], y_pred[..., None])
        side = pos * y_true + neg * (1.0 - y_true)
        return ops.mean(terms * side, axis=-1)


class _ValidationROCAUC(keras.callbacks.Callback):
    """Adds the validation rows' ``val_roc_auc`` to each epoch's logs."""

    def __init__(self, X, Y, row_weight):
        super().__init__()
        self.X, self.Y, self.row_weight = X, Y, row_weight

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            scores = self.model.predict(self.X, verbose=0)
            logs["val_roc_auc"] = macro_roc_auc(self.Y, scores, self.row_weight)

"""The estimator's parameters resolved, once per fit, into a ``TrainingSpec``.

scikeras' routed parameters (``model__``, ``optimizer__``, ``loss__``,
``compile__``, ``fit__``, ``callbacks__``), the compile arguments, callbacks,
class weights and batch size: read here from ``get_params()`` and the fit's
metadata, so that training never reads the estimator.
"""

import copy
import functools
from numbers import Integral

import keras
import numpy as np

from ._class_weights import output_class_weights
from ._compat._keras import (
    COMPILE_CLASS_GETTERS,
    accepts_kwargs,
    has_param,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from ._models import build_mlp
from ._training import TrainingSpec, new_network


def resolve_training(params, meta, *, epochs, model_params, compile_names, fit_names):
    """Everything this fit's networks need, from the parameters and the data.

    Parameters
    ----------
    params : dict
        The estimator's ``get_params()``, routed parameters included.
    meta : dict
        The fit's metadata (``X_shape_``, ``n_outputs_``, ``out_activation_``,
        ``classes_``, ``target_type_``, ...), handed to model builders.
    epochs : int
        Epochs of this fit.
    model_params : set of str
        Routed parameters the user gave (``model__`` ones reach the builder).
    compile_names, fit_names : set of str
        Arguments of ``Model.compile`` and ``Model.fit`` that scikeras routes.

    Returns
    -------
    spec : TrainingSpec
    """
    routed_fit = route_params(params, destination="fit", pass_filter=fit_names)
    loss = _default_loss(params["loss"], meta["out_activation_"])
    compile_kwargs = functools.partial(
        _compile_kwargs, _resolve_compile(params, loss, compile_names)
    )
    builder, builder_kwargs = _model_builder(params, meta, compile_kwargs, model_params)
    return TrainingSpec(
        build_network=functools.partial(
            new_network,
            builder,
            builder_kwargs,
            compile_kwargs,
            meta,
            builder_name=repr(params["model"]),
        ),
        compile_kwargs=compile_kwargs,
        make_callbacks=functools.partial(_callbacks, _resolve_callbacks(params)),
        label_weights=_label_weights(params["class_weight"], params["loss"], meta),
        sample_shape=tuple(meta["X_shape_"][1:]),
        ensemble_size=params["ensemble_size"],
        epochs=epochs,
        batch_size=_resolve_batch_size(routed_fit, params["batch_size"]),
        shuffle=routed_fit.get("shuffle", params["shuffle"]),
        verbose=routed_fit.get("verbose", params["verbose"]),
        validation_split=params["validation_split"],
        early_stopping=params["early_stopping"],
        n_iter_no_change=params["n_iter_no_change"],
        sparse_updates=params["sparse_updates"],
        sampled_labels=_sampled_labels(params["sampled_labels"], params["loss"]),
        scoring=params["scoring"],
    )


def _model_builder(params, meta, compile_kwargs, model_params):
    """The function that builds the Keras model, and its arguments.

    scikeras' ``model=`` protocol: a builder gets the routed ``model__``
    parameters, and ``meta``, ``compile_kwargs`` and ``params`` when its
    signature names them (or takes ``**kwargs``).
    """
    model = params["model"]
    if model is None:
        build = functools.partial(
            build_mlp,
            hidden_layer_sizes=check_hidden_layer_sizes(params["hidden_layer_sizes"]),
            activation=params["activation"],
            dropout=params["dropout"],
        )
    elif isinstance(model, keras.Model):
        # A copy keeps the caller's model untouched and each fit independent.
        build = functools.partial(copy.deepcopy, model)
    else:
        build = model
    kwargs = route_params(
        params, destination="model", pass_filter=model_params, strict=True
    )
    for name, value in (
        ("meta", lambda: dict(meta)),
        ("compile_kwargs", compile_kwargs),
        ("params", lambda: dict(params)),
    ):
        if has_param(build, name) or accepts_kwargs(build):
            kwargs[name] = value()
    return build, kwargs


def check_hidden_layer_sizes(hidden_layer_sizes):
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


def _resolve_batch_size(routed_fit, batch_size):
    """The rows per gradient step: ``fit__batch_size`` if given, else ``batch_size``.

    A routed value is checked as ``batch_size`` is (-1, scikeras' "all the
    training rows at once", is also accepted).
    """
    if "batch_size" not in routed_fit:
        return batch_size
    value = routed_fit["batch_size"]
    if (
        not isinstance(value, Integral)
        or isinstance(value, bool)
        or (value < 1 and value != -1)
    ):
        raise ValueError(
            "fit__batch_size must be an int >= 1 (or -1 for all the training "
            f"rows in one batch); got {value!r}."
        )
    return int(value)


def _default_loss(loss, out_activation):
    """The loss to compile with: the target's default, or Keras' focal loss.

    Classes rather than instances, so that ``loss__`` parameters reach them.
    The model is compiled with Keras' own losses only; ``class_weight`` is
    applied by the training engine (see ``_label_weights``).
    """
    if isinstance(loss, str) and loss == "binary_focal_crossentropy":
        return keras.losses.BinaryFocalCrossentropy
    if loss is None:
        return (
            keras.losses.BinaryCrossentropy
            if out_activation == "sigmoid"
            else keras.losses.CategoricalCrossentropy
        )
    return loss


def _resolve_compile(params, loss, pass_filter):
    """The arguments of ``Model.compile``, routed as scikeras does, once per fit.

    scikeras' own version cannot take a default loss that depends on the
    target, nor a learning rate outside ``optimizer__``, so it is redone here
    with its helpers. Returns the plain arguments and, for the optimizer, the
    loss and the metrics, their classes (or instances) with their routed
    parameters: :func:`_compile_kwargs` instantiates them for each network.
    """
    params = {**params, "loss": loss}
    if not isinstance(params["optimizer"], keras.optimizers.Optimizer):
        params.setdefault("optimizer__learning_rate", params["learning_rate"])
    plain = route_params(params, destination="compile", pass_filter=pass_filter)
    recipes = {}
    for name, get_class in COMPILE_CLASS_GETTERS.items():
        items = try_to_convert_strings_to_classes(plain.pop(name), get_class)
        routed = route_params(
            params, destination=name, pass_filter=set(), strict=name == "optimizer"
        )
        recipes[name] = (items, routed)
    return plain, recipes


def _compile_kwargs(resolved):
    """New arguments of ``Model.compile`` from :func:`_resolve_compile`'s result."""
    plain, recipes = resolved
    kwargs = dict(plain)
    for name, (items, routed) in recipes.items():
        kwargs[name] = unflatten_params(items=items, params=routed)
    metrics = kwargs["metrics"]
    if metrics is not None and not isinstance(metrics, (dict, list)):
        # Keras wants a list or a dict of metrics
        kwargs["metrics"] = list(metrics) if isinstance(metrics, tuple) else [metrics]
    return kwargs


def _resolve_callbacks(params):
    """``callbacks`` and ``fit__callbacks`` with their routed parameters, once."""
    resolved = []
    for destination in ("callbacks", "fit__callbacks"):
        if params.get(destination) is None:
            continue
        routed = route_params(params, destination=destination, pass_filter=set())
        resolved.append((destination, params[destination], routed))
    return resolved


def _callbacks(resolved):
    """The Keras callbacks of one network (classes are instantiated anew)."""
    callbacks = []
    for destination, items, routed in resolved:
        items = unflatten_params(items=items, params=routed)
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


def _label_weights(class_weight, loss, meta):
    """``label_weights(y_train)`` of ``class_weight`` for a sigmoid output, or None."""
    if class_weight is None or meta["out_activation_"] != "sigmoid":
        return None
    focal = isinstance(loss, str) and loss == "binary_focal_crossentropy"
    if loss is not None and not focal:
        raise ValueError(
            "class_weight weighs the default loss or 'binary_focal_crossentropy'; "
            f"got loss={loss!r}. Set class_weight=None to use this loss."
        )
    return functools.partial(
        output_class_weights,
        class_weight,
        classes=meta["classes_"],
        target_type=meta["target_type_"],
    )


def _sampled_labels(sampled_labels, loss):
    """``sampled_labels``, checked against ``loss``: a sampled step weighs
    each label's terms, as ``class_weight`` does (see ``_label_weights``)."""
    if sampled_labels is None or loss is None:
        return sampled_labels
    weighable = ("binary_crossentropy", "binary_focal_crossentropy")
    if not (isinstance(loss, str) and loss in weighable):
        raise ValueError(
            "sampled_labels weighs the per-label terms of the default loss or "
            f"'binary_focal_crossentropy'; got loss={loss!r}. Set "
            "sampled_labels=None to use this loss."
        )
    return sampled_labels


def training_row_weight(class_weight, meta, Y, sample_weight):
    """Sample weights times Keras-style class weights of a softmax output."""
    if class_weight is None or meta["out_activation_"] != "softmax":
        return sample_weight
    weights = output_class_weights(
        class_weight, Y, classes=meta["classes_"], target_type=meta["target_type_"]
    )
    per_class = np.array([weights[i] for i in range(meta["n_outputs_"])])
    row_weight = per_class[Y.argmax(axis=1)].astype(Y.dtype)
    return row_weight if sample_weight is None else row_weight * sample_weight

"""Compiled functions per architecture, in a small cache shared by every fit.

A grid search or a repeated cross-validation builds many models of one
architecture. The compiled training and inference functions take every
variable's value as an argument, so one compilation serves them all: it is
kept here under a fingerprint of the architecture, with a *template* model
and optimizer of its own. No entry refers to a user's model, so the cache
never keeps one alive; it holds at most ``MAX_ENTRIES`` architectures.
"""

import contextlib
import copy
import functools
import importlib
import json
import threading
import weakref
from collections import OrderedDict

import keras

from .._compat._keras import keras_seed_scope, variables_without_values
from ._first_layer import dense_positions, sparse_branches, submodel_positions
from ._row_updates import LazyKernelUpdates, lazy_updates_apply
from ._sampled_labels import output_split

#: Architectures kept compiled; the least recently used goes first.
MAX_ENTRIES = 8

#: On TensorFlow, a fit of this many gradient steps or more is compiled with
#: XLA (about 1 s more to compile per architecture and shape bucket, then
#: each step 2 to 3 times faster), unless its model has random layers other
#: than dropout, whose random numbers XLA draws slowly on the CPU (dropout
#: draws Philox numbers under XLA: see ``_compat._keras.philox_dropout``).
#: Measured, 2 cores, in one process per setting: ten fits of a 10-20-3
#: network (100 epochs, 2,900 steps each) 8.26 s without XLA against 3.46 s
#: with it, and its first fit in a fresh process 1.87 s against 2.11 s; the
#: default estimator on scene (5 members of 512 units, dropout 0.5) 5.02 s
#: against 2.63 s a fit. The choice depends on the fit's own parameters
#: only, never on what ran before, since XLA's numbers (and its dropout
#: masks) differ from the plain graph's and the same ``random_state`` must
#: give the same model.
XLA_MIN_STEPS = 2_000

#: Backends with a compiled engine, and the module that compiles for each.
BACKEND_MODULES = {"jax": "._jax", "tensorflow": "._tensorflow"}

_CACHE = OrderedDict()
_LOCK = threading.Lock()
#: This thread's template replica (see ``use_template_replica``).
_THREAD = threading.local()
#: Each live model's cached network, to skip fingerprinting at every predict.
#: Its values never refer to the model, so models are still freed.
_NETWORK_OF = weakref.WeakKeyDictionary()


def has_engine():
    """Whether the current Keras backend has a compiled engine."""
    return keras.backend.backend() in BACKEND_MODULES


def use_template_replica(index):
    """Have this thread's TensorFlow epochs train replica ``index`` of each
    architecture's template (0, the template itself, unless set).

    TensorFlow's compiled epochs train the variables of their template, so
    two fits sharing one take turns; threads training at the same time (an
    ensemble's members) each set their own index, and each replica is traced
    and compiled once, on first use. JAX's templates hold no values: one
    serves every thread, and this changes nothing.
    """
    _THREAD.replica = int(index)


def backend_module():
    """The module compiling for the current backend (``_jax`` or ``_tensorflow``)."""
    name = BACKEND_MODULES[keras.backend.backend()]
    return importlib.import_module(name, __package__)


class CompiledNetwork:
    """The compiled functions of one architecture.

    Parameters
    ----------
    model : keras.Model
        A built model; a template of the same architecture is made from its
        configuration (``template=False`` uses the model itself, for models
        that cannot be rebuilt from their configuration; such an object is
        not cached).
    """

    def __init__(self, model, template=True):
        self._rebuild = None
        if template:
            # nested models (an ensemble's members) are not compiled: their
            # optimizers would be variables of the template's too
            config = _without_compile_config(model.get_config())
            # from_config consumes parts of its config: a copy each time
            self._rebuild = functools.partial(_from_config, type(model), config)
            with keras_seed_scope(0), self.template_variables():
                model = self._rebuild()
        self.template = model
        self._replicas = {0: model}
        self.module = backend_module()
        self._predict = None
        self._sparse_predict = None
        self._branches = None
        self._split = None
        self._training = {}
        self._losses = {}
        self._lock = threading.Lock()

    def template_variables(self):
        """A context creating the template's variables (model, optimizer).

        On JAX every compiled function takes the values of the variables as
        arguments, so the template's are left without values (no memory);
        TensorFlow's compiled epochs train the template's own variables.
        """
        if keras.backend.backend() == "jax":
            return variables_without_values()
        return contextlib.nullcontext()

    def sparse_branches(self):
        """The template's first ``Dense`` layers and the rest (see
        ``_first_layer.sparse_branches``), or None: densify sparse X."""
        with self._lock:
            if self._branches is None:
                branches = sparse_branches(self.template)
                self._branches = () if branches is None else branches
            return self._branches or None

    def branch_values(self, trainable, non_trainable):
        """The values of each branch's variables, from lists of a model's
        variable values: ``(trainable, non_trainable)`` as
        ``compile_sparse_predict`` takes them."""
        template = self.template
        by_branch, states = [], []
        for branch in self.sparse_branches():
            kernel_at, bias_at = dense_positions(branch, template)
            tail_at, tail_state_at = submodel_positions(branch.tail, template)
            by_branch.append(
                (
                    trainable[kernel_at],
                    None if bias_at is None else trainable[bias_at],
                    [trainable[i] for i in tail_at],
                )
            )
            states.append([non_trainable[i] for i in tail_state_at])
        return by_branch, states

    def sparse_predict_function(self):
        """``predict(trainable, non_trainable, x, n_rows)`` for sparse chunks
        (see ``_jax.compile_sparse_predict``), compiled once."""
        branches = self.sparse_branches()
        with self._lock:
            if self._sparse_predict is None:
                self._sparse_predict = self.module.compile_sparse_predict(branches)
            return self._sparse_predict

    def sparse_epoch_function(
        self, optimizer, training_loss, collect_predictions, lazy
    ):
        """``run_epoch(state, arrays, batches, n_real)`` for sparse X through
        the first layer's sparse product (see ``_jax.compile_sparse_epoch``);
        ``lazy`` updates the touched kernel rows only, where the optimizer
        allows (see ``_row_updates``)."""
        (branch,) = self.sparse_branches()
        lazy = lazy and lazy_updates_apply(optimizer)
        key = (_optimizer_key(optimizer), training_loss.cache_key())
        key += (collect_predictions, "sparse", lazy)
        with self._lock:
            if key not in self._training:
                template_optimizer, updates = self._lazy_optimizer(
                    optimizer, branch, lazy
                )
                self._training[key] = self.module.compile_sparse_epoch(
                    self.template,
                    branch,
                    template_optimizer,
                    training_loss,
                    collect_predictions,
                    updates,
                )
            return self._training[key]

    def output_split(self):
        """The template split before its output layer (see
        ``_sampled_labels.output_split``), or None."""
        with self._lock:
            if self._split is None:
                split = output_split(self.template)
                self._split = () if split is None else split
            return self._split or None

    def sampled_epoch_function(self, optimizer, training_loss):
        """``run_epoch(state, arrays, batches, n_real)`` of steps on sampled
        labels (see ``_jax.compile_sampled_epoch``): the sampled columns of
        the output kernel updated lazily where the optimizer allows (see
        ``_row_updates``), densely otherwise."""
        split = self.output_split()
        lazy = lazy_updates_apply(optimizer)
        key = (_optimizer_key(optimizer), training_loss.cache_key(), "sampled")
        with self._lock:
            if key not in self._training:
                template_optimizer, updates = self._lazy_optimizer(
                    optimizer, split, lazy
                )
                self._training[key] = self.module.compile_sampled_epoch(
                    self.template, split, template_optimizer, training_loss, updates
                )
            return self._training[key]

    def _lazy_optimizer(self, optimizer, part, lazy):
        """A template optimizer of ``optimizer``'s configuration, built on
        the template, and the ``LazyKernelUpdates`` of ``part.dense``'s
        kernel (None unless ``lazy``)."""
        # made outside the scope below: they hold variables of their own
        # (the step count, the learning rate)
        config = optimizer.get_config()
        template_optimizer = type(optimizer).from_config(config)
        rest_optimizer = type(optimizer).from_config(config) if lazy else None
        updates = None
        with self.template_variables():
            template_optimizer.build(self.template.trainable_variables)
            if lazy:
                kernel_at, _ = dense_positions(part, self.template)
                updates = LazyKernelUpdates(
                    template_optimizer, rest_optimizer, self.template, kernel_at
                )
        return template_optimizer, updates

    def loss_function(self, training_loss):
        """``loss(y_true, y_pred, row_weight, pos_weight, neg_weight)``, the
        compiled ``batch_loss`` of ``training_loss`` (validation losses)."""
        key = training_loss.cache_key()
        with self._lock:
            if key not in self._losses:
                self._losses[key] = self.module.compile_loss(training_loss)
            return self._losses[key]

    def predict_function(self):
        """``predict(trainable, non_trainable, x)``, compiled once."""
        with self._lock:
            if self._predict is None:
                self._predict = self.module.compile_predict(self.template)
            return self._predict

    def epoch_function(
        self,
        optimizer,
        training_loss,
        collect_predictions,
        n_steps,
        gathered,
        draws_random_numbers=False,
    ):
        """``run_epoch(state, arrays, batches)`` for this optimizer and loss.

        ``n_steps``, the gradient steps the fit plans, and
        ``draws_random_numbers``, whether the model has random layers other
        than dropout (whose numbers XLA draws slowly), decide whether XLA
        pays on TensorFlow (see
        ``XLA_MIN_STEPS``); ``gathered`` whether the batches come as data
        rather than row indices (see ``_jax.compile_epoch``).
        """
        key = (_optimizer_key(optimizer), training_loss.cache_key())
        key += (collect_predictions, gathered)
        with self._lock:
            jit_compile = n_steps >= XLA_MIN_STEPS and not draws_random_numbers
            template = self._replica()
            entry = (key, jit_compile, id(template))
            if entry not in self._training:
                template_optimizer = type(optimizer).from_config(optimizer.get_config())
                with self.template_variables():
                    template_optimizer.build(template.trainable_variables)
                self._training[entry] = self.module.compile_epoch(
                    template,
                    template_optimizer,
                    training_loss,
                    collect_predictions,
                    jit_compile=jit_compile,
                    gathered=gathered,
                )
            return self._training[entry]

    def _replica(self):
        """This thread's replica of the template (see ``use_template_replica``):
        the template itself on JAX, or where it cannot be rebuilt. Called
        under the lock."""
        index = getattr(_THREAD, "replica", 0)
        if keras.backend.backend() != "tensorflow" or self._rebuild is None:
            index = 0
        if index not in self._replicas:
            with keras_seed_scope(0), self.template_variables():
                self._replicas[index] = self._rebuild()
        return self._replicas[index]


def compiled_network(model):
    """The cached :class:`CompiledNetwork` of ``model``'s architecture.

    A model whose architecture cannot be fingerprinted (a subclassed model
    without ``get_config``) gets a compiled network of its own, not cached.
    """
    network = _NETWORK_OF.get(model)
    if network is not None:
        return network
    key = fingerprint(model)
    if key is None:
        return CompiledNetwork(model, template=False)
    with _LOCK:
        network = _CACHE.get(key)
        if network is not None:
            _CACHE.move_to_end(key)
    if network is None:
        network = CompiledNetwork(model)
        if len(network.template.weights) != len(model.weights):
            return CompiledNetwork(model, template=False)
        with _LOCK:
            network = _CACHE.setdefault(key, network)
            while len(_CACHE) > MAX_ENTRIES:
                _CACHE.popitem(last=False)
    _NETWORK_OF[model] = network
    return network


def fingerprint(model):
    """A hashable description of ``model``'s architecture, or None.

    The configuration with every layer name replaced by the layer's position,
    so that two builds of one architecture (``dense_3`` and ``dense_7``) match;
    nested models (an ensemble's members) are renamed too, and their
    ``compile_config`` (which names their optimizer) is left out, so that
    every ensemble of one architecture shares one compiled network.
    """
    try:
        config = model.get_config()
    except (NotImplementedError, TypeError):
        return None
    if not model.built:
        return None
    layers, nested = [], list(model.layers)
    while nested:
        layer = nested.pop(0)
        layers.append(layer)
        nested.extend(getattr(layer, "layers", []))
    names = {layer.name: f"<layer {i}>" for i, layer in enumerate(layers)}
    for name in _input_layer_names(config):
        names.setdefault(name, f"<layer {len(names)}>")
    names[model.name] = "<model>"
    text = json.dumps(_renamed(config, names), sort_keys=True, default=repr)
    return (keras.backend.backend(), type(model).__qualname__, text)


def _input_layer_names(config):
    """The names of the input layers a model's configuration describes
    (nested models' included), in the order they appear: a Sequential model
    does not list its input layer among its layers."""
    if isinstance(config, dict):
        inner = config.get("config")
        if config.get("class_name") == "InputLayer" and isinstance(inner, dict):
            yield inner.get("name")
        for value in config.values():
            yield from _input_layer_names(value)
    elif isinstance(config, (list, tuple)):
        for value in config:
            yield from _input_layer_names(value)


def _from_config(model_class, config):
    """``model_class.from_config`` of a copy of ``config`` (it consumes parts
    of what it is given)."""
    return model_class.from_config(copy.deepcopy(config))


def _without_compile_config(config):
    if isinstance(config, dict):
        return {
            key: _without_compile_config(value)
            for key, value in config.items()
            if key != "compile_config"
        }
    if isinstance(config, (list, tuple)):
        return [_without_compile_config(value) for value in config]
    return config


def _renamed(config, names):
    if isinstance(config, dict):
        return {
            key: _renamed(value, names)
            for key, value in config.items()
            if key != "compile_config"
        }
    if isinstance(config, (list, tuple)):
        return [_renamed(value, names) for value in config]
    if isinstance(config, str):
        return names.get(config, config)
    return config


def _optimizer_key(optimizer):
    config = dict(optimizer.get_config())
    config.pop("name", None)
    if not isinstance(config.get("learning_rate"), dict):
        # a plain learning rate is an optimizer variable, passed in at run time
        config.pop("learning_rate", None)
    return type(optimizer).__qualname__, json.dumps(
        config, sort_keys=True, default=repr
    )

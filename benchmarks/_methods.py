"""The compared methods, built as scikit-learn estimators for a given budget."""

from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from skmultilabelnn import KerasMultilabelClassifier

#: Every method name, in report order.
METHODS = (
    "Keras default",
    "Keras tuned",
    "OvR LinearSVC tuned",
    "OvR RBF-SVC tuned",
    "MLPClassifier",
)

#: Name of the classifier step in every pipeline, so grids read ``clf__<param>``.
_STEP = "clf"


@dataclass(frozen=True)
class Budget:
    """How much work each method may do: epochs, grids and cross-validation.

    Every grid has the same number of candidates, and every grid search the
    same folds and scoring, so the tuned methods get the same tuning effort.
    """

    name: str
    #: Training rows kept per dataset (None: all).
    max_train_rows: int | None
    #: Epochs of the untuned networks (Keras default and MLPClassifier).
    epochs: int
    #: Folds of the grid searches' ``KFold(shuffle=True, random_state=0)``.
    cv_folds: int
    #: Fixed KerasMultilabelClassifier parameters of the tuned network.
    keras_fixed: dict = field(default_factory=dict)
    keras_grid: dict = field(default_factory=dict)
    linear_svc_grid: dict = field(default_factory=dict)
    #: C values of the RBF SVC, crossed with the gammas of :func:`_rbf_gammas`.
    rbf_svc_C: tuple = ()
    #: Gamma values as multiples of 1 / n_features ("scale" after scaling).
    rbf_svc_gamma_factors: tuple = ()


FULL = Budget(
    name="full",
    max_train_rows=None,
    epochs=100,
    cv_folds=3,
    keras_fixed=dict(
        early_stopping=True, validation_split=0.1, epochs=200, n_iter_no_change=10
    ),
    keras_grid=dict(
        hidden_layer_sizes=[(128,), (256, 128)],
        dropout=[0.3, 0.5],
        threshold=[0.3, 0.4],
    ),
    linear_svc_grid=dict(C=[float(c) for c in np.logspace(-4, 1, 8)]),
    rbf_svc_C=(0.1, 1.0, 10.0, 100.0),
    rbf_svc_gamma_factors=(1.0, 0.1),
)

QUICK = Budget(
    name="quick",
    max_train_rows=300,
    epochs=10,
    cv_folds=2,
    keras_fixed=dict(epochs=10),
    keras_grid=dict(hidden_layer_sizes=[(128,)], threshold=[0.4, 0.5]),
    linear_svc_grid=dict(C=[0.1, 1.0]),
    rbf_svc_C=(1.0, 10.0),
    rbf_svc_gamma_factors=(1.0,),
)


def build_he_mlp(meta, hidden_layer_sizes=(20,), activation="relu"):
    """Build the seed tutorials' network: He-uniform Dense layers, sigmoid outputs.

    A ``model=`` callable for :class:`KerasMultilabelClassifier`; set the sizes
    with ``model__hidden_layer_sizes``.
    """
    import keras

    inputs = keras.Input(shape=tuple(meta["X_shape_"][1:]))
    hidden = inputs
    for units in hidden_layer_sizes:
        hidden = keras.layers.Dense(
            int(units), activation=activation, kernel_initializer="he_uniform"
        )(hidden)
    outputs = keras.layers.Dense(
        meta["n_outputs_"], activation=meta["out_activation_"]
    )(hidden)
    return keras.Model(inputs, outputs)


def _scaled(estimator):
    return Pipeline([("scale", StandardScaler()), (_STEP, estimator)])


def _grid_search(estimator, grid, budget):
    return GridSearchCV(
        _scaled(estimator),
        {f"{_STEP}__{name}": values for name, values in grid.items()},
        scoring="f1_micro",
        cv=KFold(budget.cv_folds, shuffle=True, random_state=0),
        n_jobs=1,
        refit=True,
        error_score="raise",
    )


def _rbf_gammas(budget, n_features):
    """``"scale"`` for a factor of 1, otherwise that multiple of 1 / n_features."""
    return [
        "scale" if factor == 1 else float(factor / n_features)
        for factor in budget.rbf_svc_gamma_factors
    ]


def make_method(name, budget, n_features):
    """Return the unfitted estimator of method ``name`` for a dataset.

    Parameters
    ----------
    name : str
        One of :data:`METHODS`.
    budget : Budget
        :data:`FULL` or :data:`QUICK`.
    n_features : int
        Features of the dataset, which sets the RBF SVC's numeric gamma.
    """
    if name == "Keras default":
        return _scaled(KerasMultilabelClassifier(epochs=budget.epochs, random_state=0))
    if name == "Keras tuned":
        keras_clf = KerasMultilabelClassifier(random_state=0, **budget.keras_fixed)
        return _grid_search(keras_clf, budget.keras_grid, budget)
    if name == "OvR LinearSVC tuned":
        linear_svc = OneVsRestClassifier(LinearSVC(random_state=0))
        grid = {f"estimator__{key}": v for key, v in budget.linear_svc_grid.items()}
        return _grid_search(linear_svc, grid, budget)
    if name == "OvR RBF-SVC tuned":
        grid = {
            "estimator__C": list(budget.rbf_svc_C),
            "estimator__gamma": _rbf_gammas(budget, n_features),
        }
        return _grid_search(OneVsRestClassifier(SVC(kernel="rbf")), grid, budget)
    if name == "MLPClassifier":
        mlp = MLPClassifier(
            hidden_layer_sizes=(100,),
            solver="adam",
            batch_size=32,
            max_iter=budget.epochs,
            random_state=0,
        )
        return _scaled(mlp)
    raise ValueError(f"Unknown method {name!r}; expected one of {METHODS}.")


def n_candidates(estimator):
    """Number of parameter settings a grid search tries; 1 for a plain estimator."""
    if not isinstance(estimator, GridSearchCV):
        return 1
    return int(np.prod([len(values) for values in estimator.param_grid.values()]))


def best_params(estimator):
    """The chosen parameters of a fitted grid search, without step prefixes.

    Returns an empty dict for an estimator that was not tuned.
    """
    if not isinstance(estimator, GridSearchCV):
        return {}
    return {
        name.removeprefix(f"{_STEP}__").removeprefix("estimator__"): value
        for name, value in estimator.best_params_.items()
    }


def _short(values):
    return ", ".join(f"{value:.3g}" for value in values)


def describe_methods(budget):
    """One line per method saying what it is under ``budget``, for the report."""
    search = (
        f"GridSearchCV(scoring='f1_micro', cv=KFold({budget.cv_folds}, "
        "shuffle=True, random_state=0)), refit on the whole training part"
    )
    keras_fixed = ", ".join(
        f"{key}={value}" for key, value in budget.keras_fixed.items()
    )
    gammas = ", ".join(
        "'scale'" if factor == 1 else f"{factor:g}/n_features"
        for factor in budget.rbf_svc_gamma_factors
    )
    return {
        "Keras default": "KerasMultilabelClassifier(random_state=0): (100,) relu, "
        f"Adam 0.001, batch 32, {budget.epochs} epochs",
        "Keras tuned": f"KerasMultilabelClassifier(random_state=0, {keras_fixed}); "
        f"grid {budget.keras_grid}; {search}",
        "OvR LinearSVC tuned": "OneVsRestClassifier(LinearSVC()); "
        f"grid C=[{_short(budget.linear_svc_grid['C'])}]; {search}",
        "OvR RBF-SVC tuned": "OneVsRestClassifier(SVC(kernel='rbf')); grid "
        f"C=[{_short(budget.rbf_svc_C)}] x gamma=[{gammas}]; {search}",
        "MLPClassifier": "MLPClassifier((100,), relu, adam, batch_size=32, "
        f"max_iter={budget.epochs}, random_state=0)",
    }


def trained_epochs(estimator):
    """Epochs the final fitted network trained for; None for a non-network method.

    Unwraps a fitted grid search (its refitted best estimator) and a pipeline
    (its last step); MLPClassifier's iterations are epochs too.
    """
    if isinstance(estimator, GridSearchCV):
        estimator = estimator.best_estimator_
    if isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    if isinstance(estimator, (KerasMultilabelClassifier, MLPClassifier)):
        return int(estimator.n_iter_)
    return None

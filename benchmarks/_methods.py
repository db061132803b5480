"""The compared methods, built as scikit-learn estimators for a given budget."""

from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
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
    "Keras default, 0.5",
    "Keras tuned",
    "Keras tuned, label sets",
    "Keras tuned, 0.5",
    "OvR SVC default",
    "OvR LinearSVC tuned",
    "OvR RBF-SVC tuned",
    "OvR LogReg tuned",
    "MLPClassifier",
)

#: Methods that are another method's fitted estimator with other
#: prediction-time parameters (no refit): name -> (fitted method, parameters).
VARIANTS = {
    "Keras default, 0.5": ("Keras default", {"threshold": 0.5}),
    "Keras tuned, label sets": ("Keras tuned", {"decision": "label_set"}),
    "Keras tuned, 0.5": ("Keras tuned", {"threshold": 0.5}),
}

#: The methods run on dense X, and on sparse X (text: no RBF kernel, which
#: scales badly with rows and labels; logistic regression instead).
DENSE_METHODS = tuple(m for m in METHODS if m != "OvR LogReg tuned")
SPARSE_METHODS = tuple(m for m in METHODS if m != "OvR RBF-SVC tuned")


def methods_for(split):
    """The methods run on ``split``: :data:`SPARSE_METHODS` for sparse X."""
    return SPARSE_METHODS if split.sparse else DENSE_METHODS


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
    #: Parameters of the untuned networks besides their defaults (None:
    #: the defaults; the quick budget shortens them).
    untuned_keras: dict
    #: Folds of the grid searches' ``KFold(shuffle=True, random_state=0)``.
    cv_folds: int
    #: Fixed KerasMultilabelClassifier parameters of the networks the grid
    #: search compares (one network each), and of the final tuned network.
    keras_fixed: dict = field(default_factory=dict)
    keras_final: dict = field(default_factory=dict)
    keras_grid: dict = field(default_factory=dict)
    linear_svc_grid: dict = field(default_factory=dict)
    #: C values of the RBF SVC, crossed with the gammas of :func:`_rbf_gammas`.
    rbf_svc_C: tuple = ()
    #: Gamma values as multiples of 1 / n_features ("scale" after scaling).
    rbf_svc_gamma_factors: tuple = ()
    #: The sparse text sets (hundreds of labels): the tuned network's fixed
    #: parameters and the grids, each grid with the same number of candidates.
    text_keras_fixed: dict = field(default_factory=dict)
    text_keras_grid: dict = field(default_factory=dict)
    text_linear_svc_grid: dict = field(default_factory=dict)
    text_logistic_grid: dict = field(default_factory=dict)


FULL = Budget(
    name="full",
    max_train_rows=None,
    untuned_keras={},
    cv_folds=3,
    # the search compares single networks; the final one is the default
    # ensemble with thresholds learned for micro-F1 (the search's scoring)
    keras_fixed=dict(ensemble_size=1),
    keras_final=dict(ensemble_size=5, threshold="auto", threshold_metric="f1_micro"),
    keras_grid=dict(
        hidden_layer_sizes=[(128,), (256, 128)],
        dropout=[0.2, 0.5],
        learning_rate=[0.001, 0.003],
    ),
    linear_svc_grid=dict(C=[float(c) for c in np.logspace(-4, 1, 8)]),
    rbf_svc_C=(0.1, 1.0, 10.0, 100.0),
    rbf_svc_gamma_factors=(1.0, 0.1),
    text_keras_fixed=dict(ensemble_size=1),
    text_keras_grid=dict(dropout=[0.2, 0.5], learning_rate=[0.001, 0.003]),
    # large C makes liblinear crawl on 983 labels (over 10 minutes for the
    # LinearSVC search with C up to 10); the best C lies well below 1
    text_linear_svc_grid=dict(C=[0.01, 0.03, 0.1, 0.3]),
    text_logistic_grid=dict(C=[0.1, 0.3, 1.0, 3.0]),
)

QUICK = Budget(
    name="quick",
    max_train_rows=300,
    untuned_keras=dict(epochs=5, ensemble_size=1),
    cv_folds=2,
    keras_fixed=dict(epochs=5, ensemble_size=1),
    keras_final=dict(ensemble_size=1, threshold="auto", threshold_metric="f1_micro"),
    keras_grid=dict(hidden_layer_sizes=[(128,)], dropout=[0.2, 0.5]),
    linear_svc_grid=dict(C=[0.1, 1.0]),
    rbf_svc_C=(1.0, 10.0),
    rbf_svc_gamma_factors=(1.0,),
    text_keras_fixed=dict(epochs=5, ensemble_size=1),
    text_keras_grid=dict(dropout=[0.2, 0.5]),
    text_linear_svc_grid=dict(C=[0.1, 1.0]),
    text_logistic_grid=dict(C=[1.0, 10.0]),
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


class TunedThenFinal(ClassifierMixin, BaseEstimator):
    """A grid search's best parameters, then one final fit with more parameters.

    The search compares cheap candidates (single networks at the usual
    threshold); the final estimator is ``search.estimator`` with the best
    parameters and ``final_params`` (the default ensemble, learned
    thresholds), fitted on all the training rows. ``predict`` is the final
    estimator's.
    """

    def __init__(self, search, final_params):
        self.search = search
        self.final_params = final_params

    def fit(self, X, y):
        self.search_ = clone(self.search).fit(X, y)
        self.best_params_ = self.search_.best_params_
        params = {**self.best_params_, **self.final_params}
        self.final_ = clone(self.search.estimator).set_params(**params).fit(X, y)
        return self

    def predict(self, X):
        return self.final_.predict(X)


def scaled(estimator, sparse=False):
    """The estimator after a StandardScaler; sparse (0/1 word) features as they are."""
    scaler = "passthrough" if sparse else StandardScaler()
    return Pipeline([("scale", scaler), (_STEP, estimator)])


def grid_search(estimator, grid, budget, sparse=False, scoring="f1_micro"):
    """``GridSearchCV`` of ``scaled(estimator)`` over ``grid`` (parameters of
    the estimator), with the budget's folds, refitted."""
    return GridSearchCV(
        scaled(estimator, sparse),
        {f"{_STEP}__{name}": values for name, values in grid.items()},
        scoring=scoring,
        cv=KFold(budget.cv_folds, shuffle=True, random_state=0),
        n_jobs=1,
        refit=True,
        error_score="raise",
    )


def _estimator_grid(grid):
    """A one-vs-rest grid: each parameter goes to the inner estimator."""
    return {f"estimator__{key}": values for key, values in grid.items()}


def _rbf_gammas(budget, n_features):
    """``"scale"`` for a factor of 1, otherwise that multiple of 1 / n_features."""
    return [
        "scale" if factor == 1 else float(factor / n_features)
        for factor in budget.rbf_svc_gamma_factors
    ]


def make_method(name, budget, n_features, sparse=False):
    """Return the unfitted estimator of method ``name`` for a dataset.

    Parameters
    ----------
    name : str
        One of :data:`METHODS`.
    budget : Budget
        :data:`FULL` or :data:`QUICK`.
    n_features : int
        Features of the dataset, which sets the RBF SVC's numeric gamma.
    sparse : bool, default=False
        Whether X is sparse (a text set): no scaler, the text budget.
    """
    if name == "Keras default":
        keras_clf = KerasMultilabelClassifier(random_state=0, **budget.untuned_keras)
        return scaled(keras_clf, sparse)
    if name == "Keras tuned":
        fixed = budget.text_keras_fixed if sparse else budget.keras_fixed
        keras_clf = KerasMultilabelClassifier(random_state=0, **fixed)
        grid = budget.text_keras_grid if sparse else budget.keras_grid
        final = {f"{_STEP}__{key}": value for key, value in budget.keras_final.items()}
        return TunedThenFinal(grid_search(keras_clf, grid, budget, sparse), final)
    # one-vs-rest over hundreds of labels: one label per core
    n_jobs = 2 if sparse else None
    if name == "OvR SVC default":
        svm = LinearSVC(random_state=0) if sparse else SVC()
        return scaled(OneVsRestClassifier(svm, n_jobs=n_jobs), sparse)
    if name == "OvR LinearSVC tuned":
        grid = budget.text_linear_svc_grid if sparse else budget.linear_svc_grid
        linear_svc = OneVsRestClassifier(LinearSVC(random_state=0), n_jobs=n_jobs)
        return grid_search(linear_svc, _estimator_grid(grid), budget, sparse)
    if name == "OvR LogReg tuned":
        logistic = OneVsRestClassifier(
            LogisticRegression(solver="liblinear"), n_jobs=n_jobs
        )
        grid = _estimator_grid(budget.text_logistic_grid)
        return grid_search(logistic, grid, budget, sparse)
    if name == "OvR RBF-SVC tuned":
        grid = {
            "estimator__C": list(budget.rbf_svc_C),
            "estimator__gamma": _rbf_gammas(budget, n_features),
        }
        return grid_search(OneVsRestClassifier(SVC(kernel="rbf")), grid, budget)
    if name == "MLPClassifier":
        max_iter = budget.untuned_keras.get("epochs", 200)  # 200: the default
        return scaled(MLPClassifier(max_iter=max_iter, random_state=0), sparse)
    raise ValueError(f"Unknown method {name!r}; expected one of {METHODS}.")


def n_candidates(estimator):
    """Number of parameter settings a grid search tries; 1 for a plain estimator."""
    if isinstance(estimator, TunedThenFinal):
        estimator = estimator.search
    if not isinstance(estimator, GridSearchCV):
        return 1
    return int(np.prod([len(values) for values in estimator.param_grid.values()]))


def best_params(estimator):
    """The chosen parameters of a fitted grid search, without step prefixes.

    Returns an empty dict for an estimator that was not tuned.
    """
    if not isinstance(estimator, GridSearchCV | TunedThenFinal):
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

    def params(values):
        return ", ".join(f"{key}={value!r}" for key, value in values.items())

    untuned = params(budget.untuned_keras) or "its defaults"
    gammas = ", ".join(
        "'scale'" if factor == 1 else f"{factor:g}/n_features"
        for factor in budget.rbf_svc_gamma_factors
    )
    svc_c = _short(budget.text_linear_svc_grid["C"])
    logistic_c = _short(budget.text_logistic_grid["C"])
    return {
        "Keras default": f"KerasMultilabelClassifier(random_state=0) with {untuned}: "
        f"{_default_network()}",
        "Keras default, 0.5": "Keras default's fitted ensemble with threshold=0.5 "
        "in place of its learned thresholds (no refit)",
        "Keras tuned": f"GridSearchCV of single networks ({params(budget.keras_fixed)}"
        f"), grid {budget.keras_grid} (text sets: {budget.text_keras_grid}); "
        f"{search.replace(', refit on the whole training part', '')}; then the "
        f"best parameters refitted with {params(budget.keras_final)}",
        "Keras tuned, label sets": "Keras tuned's fitted network with "
        "decision='label_set' (the most probable label set seen in training; "
        "no refit)",
        "Keras tuned, 0.5": "Keras tuned's fitted network with threshold=0.5 "
        "(the cut that minimises the expected Hamming loss; no refit)",
        "OvR SVC default": "OneVsRestClassifier(SVC()) on the dense sets, "
        "OneVsRestClassifier(LinearSVC()) on the text sets: scikit-learn's "
        "defaults",
        "OvR LinearSVC tuned": "OneVsRestClassifier(LinearSVC()); "
        f"grid C=[{_short(budget.linear_svc_grid['C'])}] (text sets: "
        f"[{svc_c}], one label per core); {search}",
        "OvR RBF-SVC tuned": "OneVsRestClassifier(SVC(kernel='rbf')), dense sets "
        f"only; grid C=[{_short(budget.rbf_svc_C)}] x gamma=[{gammas}]; {search}",
        "OvR LogReg tuned": "OneVsRestClassifier(LogisticRegression(solver="
        f"'liblinear'), one label per core), text sets only; grid "
        f"C=[{logistic_c}]; {search}",
        "MLPClassifier": "MLPClassifier(random_state=0): scikit-learn's defaults "
        "((100,) relu, adam, batch 200, at most "
        f"{budget.untuned_keras.get('epochs', 200)} iterations)",
    }


def _default_network():
    """The estimator's defaults in words, read from its parameters."""
    params = KerasMultilabelClassifier().get_params()
    patience = params["n_iter_no_change"]
    return (
        f"an ensemble of {params['ensemble_size']} "
        f"{params['hidden_layer_sizes']} {params['activation']} networks "
        f"(dropout {params['dropout']}), {params['optimizer']} "
        f"{params['learning_rate']}, batch {params['batch_size']}; the members "
        "are cross-fitted: each trains on all but one of "
        f"{params['ensemble_size']} folds and early-stops on that fold "
        f"(scoring={params['scoring']!r}, patience {patience}, at most "
        f"{params['epochs']} epochs); "
        f"threshold={params['threshold']!r}: per-label thresholds learned "
        f"({params['threshold_metric']!r}) from the members' out-of-fold "
        "probabilities"
    )


def classifier_of(estimator):
    """The fitted classifier inside a method's fitted estimator (the last step
    of its pipeline; of the final fit for a tuned method)."""
    if isinstance(estimator, TunedThenFinal):
        estimator = estimator.final_
    return estimator[-1]


def trained_epochs(estimator):
    """Epochs the final fitted network trained for; None for a non-network method.

    Unwraps a fitted grid search (its refitted best estimator) and a pipeline
    (its last step); MLPClassifier's iterations are epochs too.
    """
    if isinstance(estimator, TunedThenFinal):
        estimator = estimator.final_
    if isinstance(estimator, GridSearchCV):
        estimator = estimator.best_estimator_
    if isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    if isinstance(estimator, (KerasMultilabelClassifier, MLPClassifier)):
        return int(estimator.n_iter_)
    return None

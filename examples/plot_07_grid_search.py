"""
==================================================
Model selection: GridSearchCV and stratified folds
==================================================

The estimator's parameters (the network's size, dropout, the threshold, the
epochs) are ordinary scikit-learn hyperparameters, so
:class:`~sklearn.model_selection.GridSearchCV` tunes them, inside a
:class:`~sklearn.pipeline.Pipeline` as usual. With an int ``random_state``
each candidate's score is reproducible.

Plain :class:`~sklearn.model_selection.KFold` can give folds whose label
frequencies differ a lot when labels are rare. scikit-learn has no
multilabel stratification; a simple stand-in is to stratify on each row's
*label combination* (its "label powerset"), merging combinations too rare to
spread over the folds.
"""

# %%
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_yeast
from skmultilabelnn.metrics import multilabel_scores

train = load_yeast(subset="train")
X_test, Y_test = load_yeast(subset="test", return_X_y=True)

# %%
# Folds stratified on the label combination
# -----------------------------------------
# Each row's combination of labels as one string; combinations with fewer
# rows than folds are merged into one "rare" group.
n_folds = 3
combination = np.array(["".join(map(str, row)) for row in train.target])
values, counts = np.unique(combination, return_counts=True)
rare = np.isin(combination, values[counts < n_folds])
strata = np.where(rare, "rare", combination)
folds = list(
    StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0).split(
        train.data, strata
    )
)


def label_spread(folds):
    """The largest gap between a label's frequency in two test folds."""
    freq = np.array([train.target[test].mean(axis=0) for _, test in folds])
    return np.max(freq.max(axis=0) - freq.min(axis=0))


plain = list(KFold(n_folds, shuffle=True, random_state=0).split(train.data))
print(
    "largest gap in a label's frequency across folds: "
    f"KFold {label_spread(plain):.3f}, stratified {label_spread(folds):.3f}"
)

# %%
# The search
# ----------
# Four candidates, three folds, micro-F1; then a refit on all training rows.
# The search compares single networks (``ensemble_size=1``), five times
# cheaper than the default ensemble of 5; the chosen settings are then
# trained as an ensemble below.
pipe = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(ensemble_size=1, epochs=60, random_state=0),
)
param_grid = {
    "kerasmultilabelclassifier__hidden_layer_sizes": [(64,), (128, 64)],
    "kerasmultilabelclassifier__threshold": [0.3, 0.5],
}
search = GridSearchCV(pipe, param_grid, scoring="f1_micro", cv=folds)
search.fit(train.data, train.target)

results = pd.DataFrame(search.cv_results_)
columns = [
    "param_kerasmultilabelclassifier__hidden_layer_sizes",
    "param_kerasmultilabelclassifier__threshold",
    "mean_test_score",
    "std_test_score",
    "mean_fit_time",
]
print(results[columns].round(3).to_string(index=False))
print("best:", search.best_params_)

# %%
# The chosen settings on the test rows
# ------------------------------------
# The refitted single network, then the same settings as the default
# ensemble of 5 networks.
from sklearn.base import clone  # noqa: E402

ensemble = clone(search.best_estimator_).set_params(
    kerasmultilabelclassifier__ensemble_size=5
)
ensemble.fit(train.data, train.target)
for name, model in {"single network": search, "ensemble of 5": ensemble}.items():
    scores = multilabel_scores(Y_test, model.predict(X_test))
    print(f"{name:>14}:", {key: round(value, 3) for key, value in scores.items()})

# %%
# Reproducibility
# ---------------
# The same ``random_state`` gives the same network, so a refit predicts
# exactly the same (on CPU; see the user guide for threads, Dask and GPUs).
again = KerasMultilabelClassifier(**search.best_estimator_[-1].get_params())
again_pipe = make_pipeline(StandardScaler(), again).fit(train.data, train.target)
print(
    "identical predictions:",
    np.array_equal(again_pipe.predict_proba(X_test), search.predict_proba(X_test)),
)

"""Issue 22's macro-F1 goal: the network tuned for macro-F1 against the
threshold tuner around a linear SVM whose C is tuned on the same budget.

On every set of the development suite (``benchmarks/suite``, training rows
capped at ``--max-train-rows``) and of the main benchmark (yeast, scene,
enron, the two seed sets; delicious when named in ``--datasets``), two methods,
each a ``GridSearchCV`` with ``scoring="f1_macro"``, ``KFold(3,
shuffle=True, random_state=0)`` and as many candidates as the other (the
main benchmark's grids: 8 on dense sets, 4 on sparse ones), dense X
standardised:

- ``Keras tuned (macro)``: single networks (``ensemble_size=1``) searched
  over the main benchmark's network grid; the final model is the default
  ensemble with per-label thresholds learned for F1 (``threshold="auto"``,
  ``threshold_metric="f1"``, the defaults) with the best parameters, fitted
  on all the training rows;
- ``Tuner(OvR LinearSVC), C tuned``:
  ``MultilabelThresholdTuner(OneVsRestClassifier(LinearSVC()),
  scoring="f1")`` searched over the main benchmark's ``C`` grid of
  ``LinearSVC``.

The goal: the network's macro-F1 at least the tuner's on every set. Prints
and writes ``bench_macro.md`` and ``.csv`` (macro- and micro-F1 on the
test part, fit seconds, the search included). About 25 minutes on 2 cores
with JAX. Run from the repository root::

    KERAS_BACKEND=jax python -m benchmarks.bench_macro [--datasets ...]
"""

import argparse
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from skmultilabelnn import KerasMultilabelClassifier, MultilabelThresholdTuner

from ._datasets import DATASETS, load_split
from ._methods import FULL, TunedThenFinal, grid_search
from ._report import (
    add_out_argument,
    header_lines,
    markdown_table,
    publish,
)
from ._runner import fit_and_score, progress
from ._suite import load_suite_split, suite_names

METHODS = ("Keras tuned (macro)", "Tuner(OvR LinearSVC), C tuned")

_COLUMNS = {
    "dataset": "set",
    "method": "method",
    "f1_macro": "macro-F1",
    "margin": "network - tuner",
    "f1_micro": "micro-F1",
    "fit_s": "fit s",
}


def make(method, sparse):
    """The unfitted estimator of ``method`` on a dense or sparse set."""
    if method == METHODS[0]:
        fixed = FULL.text_keras_fixed if sparse else FULL.keras_fixed
        grid = FULL.text_keras_grid if sparse else FULL.keras_grid
        search = grid_search(
            KerasMultilabelClassifier(random_state=0, **fixed),
            grid,
            FULL,
            sparse,
            scoring="f1_macro",
        )
        # the default ensemble, thresholds learned per label for F1
        final = dict(ensemble_size=5, threshold="auto", threshold_metric="f1")
        return TunedThenFinal(search, {f"clf__{k}": v for k, v in final.items()})
    grid = FULL.text_linear_svc_grid if sparse else FULL.linear_svc_grid
    tuner = MultilabelThresholdTuner(
        OneVsRestClassifier(LinearSVC(random_state=0)), scoring="f1"
    )
    grid = {f"estimator__estimator__{k}": v for k, v in grid.items()}
    return grid_search(tuner, grid, FULL, sparse, scoring="f1_macro")


def run(names, max_train_rows):
    """Fit and score both methods on each set; return the result rows."""
    rows = []
    n_steps, step = len(names) * len(METHODS), 0
    for name in names:
        if name in DATASETS:
            split = load_split(name)
        else:
            split = load_suite_split(name).subsample_train(max_train_rows)
        scored = {}
        for method in METHODS:
            step += 1
            label = f"{name} ({split.X_train.shape[0]} rows): {method}"
            with progress(step, n_steps, label):
                scores, _ = fit_and_score(
                    make(method, split.sparse),
                    split.X_train,
                    split.y_train,
                    split.X_test,
                    split.y_test,
                )
            scored[method] = scores
        margin = scored[METHODS[0]]["f1_macro"] - scored[METHODS[1]]["f1_macro"]
        for method, scores in scored.items():
            row = {"dataset": name, "method": method, **scores}
            if method == METHODS[0]:
                row["margin"] = margin
            rows.append(row)
    return rows


def report(rows, max_train_rows):
    lines = header_lines("Macro-F1: the tuned network against the tuned linear tuner")
    margins = {r["dataset"]: r["margin"] for r in rows if "margin" in r}
    missed = {name: m for name, m in margins.items() if m < 0}
    lines += [
        f"Suite sets' training rows capped at {max_train_rows}; both methods "
        "searched by macro-F1 over the same number of candidates (KFold(3)).",
        "",
        markdown_table(rows, _COLUMNS),
        "",
        f"Goal (network's macro-F1 >= the tuner's on every set): met on "
        f"{len(margins) - len(missed)} of {len(margins)} sets; mean margin "
        f"{np.mean(list(margins.values())):+.3f}.",
    ]
    if missed:
        cells = ", ".join(f"{name} {m:+.3f}" for name, m in missed.items())
        lines.append(f"Missed on: {cells}.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = (*suite_names(), *DATASETS)
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=names,
        default=[name for name in names if name != "delicious"],
        metavar="NAME",
        help=f"sets to run, among {', '.join(names)} (default: all but delicious)",
    )
    parser.add_argument(
        "--max-train-rows",
        type=int,
        default=2000,
        help="train on at most this many random rows of a suite set (default: 2000)",
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)
    # macro-F1 of folds where a rare label is absent: 0 for it, as intended
    warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
    rows = run(args.datasets, args.max_train_rows)
    publish(report(rows, args.max_train_rows), rows, args.out, "bench_macro")


if __name__ == "__main__":
    main()

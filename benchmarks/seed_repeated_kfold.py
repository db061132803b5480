"""Seed tutorial 2: subset accuracy under 10-fold CV repeated 3 times, 1000x10 set.

Reproduces the tutorial's evaluation: a network of 20 relu units with
He-uniform initialisation and sigmoid outputs (Adam, binary cross-entropy,
100 epochs, batch 32, raw features as in the tutorial), as a
KerasMultilabelClassifier, on
``make_multilabel_classification(n_samples=1000, n_features=10, n_classes=3,
n_labels=2, random_state=1)`` with ``RepeatedKFold(n_splits=10, n_repeats=3,
random_state=1)``; the tutorial reports a subset accuracy of 0.77-0.88 per
split, mean about 0.82. One-vs-rest LinearSVC and RBF SVC (default C, after a
StandardScaler) run on the same folds, one ``cross_validate`` call per method.
Writes per-split scores and their mean, std, min and max to
``seed_repeated_kfold.md`` and ``.csv`` in ``benchmarks/results/``. About
2.5 minutes on 2 cores. Run from the repository root::

    python -m benchmarks.seed_repeated_kfold [--n-repeats 3] [--out DIR]
"""

import argparse

import numpy as np
from sklearn.model_selection import RepeatedKFold, cross_validate
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from skmultilabelnn import KerasMultilabelClassifier

from ._datasets import make_seed_data
from ._methods import build_he_mlp
from ._report import add_out_argument, header_lines, markdown_table, publish
from ._runner import progress, quiet_convergence

#: Subset accuracy the tutorial reports: per split range and mean.
TUTORIAL_RANGE, TUTORIAL_MEAN = (0.77, 0.88), 0.82


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.seed_repeated_kfold",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--n-repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=100)
    add_out_argument(parser)
    args = parser.parse_args(argv)

    X, y = make_seed_data("seed-1000x10")
    cv = RepeatedKFold(n_splits=10, n_repeats=args.n_repeats, random_state=1)
    methods = {
        "Keras 20 relu he_uniform": KerasMultilabelClassifier(
            model=build_he_mlp,
            model__hidden_layer_sizes=(20,),
            epochs=args.epochs,
            random_state=0,
            # the tutorial's recipe: one network, every epoch, every row
            ensemble_size=1,
            early_stopping=False,
            validation_split=0.0,
        ),
        "OvR LinearSVC": make_pipeline(
            StandardScaler(), OneVsRestClassifier(LinearSVC(random_state=0))
        ),
        "OvR RBF-SVC": make_pipeline(StandardScaler(), OneVsRestClassifier(SVC())),
    }
    results = {}
    for step, (name, estimator) in enumerate(methods.items(), start=1):
        with progress(step, len(methods), f"seed-1000x10 · {name}"):
            with quiet_convergence():
                results[name] = cross_validate(
                    estimator, X, y, cv=cv, scoring="accuracy", n_jobs=1
                )

    n_splits = cv.get_n_splits()
    scores = {name: result["test_score"] for name, result in results.items()}
    split_rows = [
        {"split": str(i + 1), **{name: float(s[i]) for name, s in scores.items()}}
        for i in range(n_splits)
    ]
    csv_rows = [
        {
            "method": name,
            "split": i + 1,
            "subset_accuracy": float(result["test_score"][i]),
            "fit_s": float(result["fit_time"][i]),
        }
        for name, result in results.items()
        for i in range(n_splits)
    ]
    summary_rows = [
        {
            "method": name,
            "mean": float(np.mean(result["test_score"])),
            "std": float(np.std(result["test_score"])),
            "min": float(np.min(result["test_score"])),
            "max": float(np.max(result["test_score"])),
            "fit_s": float(np.sum(result["fit_time"])),
        }
        for name, result in results.items()
    ]
    lines = header_lines("Seed tutorial 2: repeated 10-fold CV on the 1000x10 set")
    lines += [
        "- data: make_multilabel_classification(n_samples=1000, n_features=10, "
        "n_classes=3, n_labels=2, random_state=1)",
        f"- cv: RepeatedKFold(n_splits=10, n_repeats={args.n_repeats}, "
        "random_state=1); score: subset accuracy",
        "- Keras: Dense(20, relu, he_uniform) -> sigmoid outputs, Adam 0.001, "
        f"binary cross-entropy, {args.epochs} epochs, batch 32, raw features, "
        "random_state=0; SVMs: default C (and gamma), after StandardScaler",
        f"- tutorial: {TUTORIAL_RANGE[0]}-{TUTORIAL_RANGE[1]} per split, mean "
        f"about {TUTORIAL_MEAN}",
        "",
        "## Subset accuracy over the splits",
        "",
        markdown_table(
            summary_rows,
            {
                "method": "method",
                "mean": "mean",
                "std": "std",
                "min": "min",
                "max": "max",
                "fit_s": f"fit s (all {n_splits})",
            },
        ),
        "",
        "## Per split",
        "",
        markdown_table(split_rows, {key: key for key in split_rows[0]}),
        "",
    ]
    publish("\n".join(lines), csv_rows, args.out, "seed_repeated_kfold")
    return summary_rows


if __name__ == "__main__":
    main()

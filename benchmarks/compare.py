"""The main comparison: KerasMultilabelClassifier against one-vs-rest SVMs and MLP.

Fits every method of ``_methods.METHODS`` (the default and a grid-searched
KerasMultilabelClassifier, grid-searched one-vs-rest LinearSVC and RBF SVC --
logistic regression instead of the RBF SVC on sparse X -- and scikit-learn's
MLPClassifier, each after a StandardScaler on dense X) on the training part of
every dataset of ``_datasets.DATASETS`` (yeast, scene, the two sparse text sets
enron and delicious, and the two seed tutorial sets; sparse X stays sparse end
to end), and scores its predictions on the test part: Hamming loss,
subset accuracy, micro/macro/samples F1, samples Jaccard, fit and predict
seconds. Every grid search has the same number of candidates, folds and
scoring. Writes ``results.md`` (environment, tables, goals), ``results.csv``
and PNG charts to ``benchmarks/results/`` (``--quick``: to a new temporary
folder, so the committed results stay as they are) and prints the report. The
goals section says whether tuned Keras beats the best tuned OvR SVM on yeast
and scene, and the published OvR SVM numbers, and the best tuned linear OvR
model on enron and delicious (micro- and macro-F1).

Run from the repository root (``make demo`` runs the default)::

    python -m benchmarks [--quick] [--datasets yeast scene ...] [--out DIR]

The default run takes about 12 minutes on 2 CPU cores (it must stay under
20); ``--quick`` (300 training rows, 10 epochs, 2-candidate grids, 2 folds)
about 1 minute.
"""

import argparse
import sys
import tempfile
import time
from operator import itemgetter
from pathlib import Path

from skmultilabelnn.metrics import MULTILABEL_METRICS

from ._datasets import DATASETS, PUBLISHED_OVR_SVM, load_split
from ._methods import (
    FULL,
    QUICK,
    best_params,
    describe_methods,
    make_method,
    methods_for,
    n_candidates,
    trained_epochs,
)
from ._plots import plot_metric, plot_quality_vs_time
from ._report import (
    RESULTS_DIR,
    SCORE_HEADERS,
    header_lines,
    markdown_table,
    write_csv,
    write_markdown,
)
from ._runner import fit_and_score, progress

#: The tuned SVMs the tuned network is measured against.
#: Goals against the best tuned baseline: datasets, the baselines, what they
#: are called in the report, and the metrics compared.
_BASELINE_GOALS = (
    (
        ("yeast", "scene"),
        ("OvR LinearSVC tuned", "OvR RBF-SVC tuned"),
        "the best tuned OvR SVM",
        ("f1_micro", "subset_accuracy"),
    ),
    (
        ("enron", "delicious"),
        ("OvR LinearSVC tuned", "OvR LogReg tuned"),
        "the best tuned linear OvR model",
        ("f1_micro", "f1_macro"),
    ),
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="300 training rows, 10 epochs, 2-candidate grids, 2-fold CV",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=DATASETS,
        default=list(DATASETS),
        metavar="NAME",
        help=f"datasets to run, among {', '.join(DATASETS)} (default: all)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for results.md, results.csv and the charts (default: "
        "benchmarks/results; with --quick, a new temporary folder)",
    )
    args = parser.parse_args(argv)
    if args.out is None:
        # quick results are no verdict: they must not replace the committed ones
        args.out = (
            Path(tempfile.mkdtemp(prefix="skmultilabelnn-quick-"))
            if args.quick
            else RESULTS_DIR
        )
    return args


def run(splits, budget):
    """Fit and score every method on every split; one dict per pair."""
    rows = []
    n_steps = sum(len(methods_for(split)) for split in splits)
    for split in splits:
        for method in methods_for(split):
            estimator = make_method(method, budget, split.n_features, split.sparse)
            with progress(len(rows) + 1, n_steps, f"{split.name} · {method}"):
                scores, _ = fit_and_score(
                    estimator, split.X_train, split.y_train, split.X_test, split.y_test
                )
            rows.append(
                {
                    "dataset": split.name,
                    "method": method,
                    "candidates": n_candidates(estimator),
                    **scores,
                    "epochs": trained_epochs(estimator),
                    "best_params": best_params(estimator),
                }
            )
    return rows


def goal_rows(rows):
    """Tuned Keras against the best tuned baselines and the published numbers.

    One dict per goal; ``margin`` is positive when Keras is better.
    """
    by_key = {(row["dataset"], row["method"]): row for row in rows}
    goals = []
    for datasets, methods, name, metrics in _BASELINE_GOALS:
        for dataset in datasets:
            if (dataset, "Keras tuned") not in by_key:
                continue
            keras_row = by_key[dataset, "Keras tuned"]
            baselines = [by_key[dataset, method] for method in methods]
            for metric in metrics:
                best = max(baselines, key=itemgetter(metric))
                against = f"{name} ({best['method']})"
                goals.append(_goal(dataset, metric, against, keras_row, best[metric]))
            for metric, reference in PUBLISHED_OVR_SVM.get(dataset, {}).items():
                against = "the published OvR SVM"
                goals.append(_goal(dataset, metric, against, keras_row, reference))
    return goals


def _goal(dataset, metric, against, keras_row, reference):
    higher_is_better = MULTILABEL_METRICS[metric]
    margin = keras_row[metric] - reference
    margin = margin if higher_is_better else -margin
    return {
        "dataset": dataset,
        "goal": f"{SCORE_HEADERS[metric]} {'above' if higher_is_better else 'below'} "
        f"{against}",
        "keras": keras_row[metric],
        "reference": reference,
        "margin": margin,
        "met": "**yes**" if margin > 0 else "no",
    }


def _datasets_table(splits):
    rows = [
        {
            "dataset": split.name,
            "train": str(split.X_train.shape[0]),
            "test": str(split.X_test.shape[0]),
            "features": str(split.n_features),
            "labels": str(split.n_labels),
            "source": split.source,
        }
        for split in splits
    ]
    columns = {key: key for key in rows[0]}
    return markdown_table(rows, columns)


def build_report(rows, splits, budget, wall_s):
    """The whole results.md text."""
    results_columns = {
        "dataset": "dataset",
        "method": "method",
        **SCORE_HEADERS,
        "epochs": "epochs",
    }
    tuned = [row for row in rows if row["best_params"]]
    goals = goal_rows(rows)
    lines = header_lines(
        "KerasMultilabelClassifier vs one-vs-rest SVMs and MLPClassifier",
        mode=budget.name,
    )
    lines += [f"- total wall time: {wall_s:.0f} s", ""]
    lines += ["## Datasets", "", _datasets_table(splits), ""]
    lines += [
        "## Methods (each a Pipeline: after a StandardScaler on the dense sets, "
        "on the sparse text sets' 0/1 word features as they are)",
        "",
    ]
    lines += [
        f"- **{name}**: {text}" for name, text in describe_methods(budget).items()
    ]
    lines += ["", "## Results on the test parts", ""]
    lines += [markdown_table(rows, results_columns), ""]
    if tuned:
        lines += ["## Chosen parameters", ""]
        lines += [
            markdown_table(
                tuned, {"dataset": "dataset", "method": "method", "best_params": "best"}
            ),
            "",
        ]
    lines += ["## Goals", ""]
    if budget is QUICK:
        lines += ["Quick mode: subsampled data and tiny budgets; not a verdict.", ""]
    if goals:
        goal_columns = {
            "dataset": "dataset",
            "goal": "goal: tuned Keras ...",
            "keras": "Keras tuned",
            "reference": "reference",
            "margin": "margin (+: Keras better)",
            "met": "met",
        }
        lines += [markdown_table(goals, goal_columns), ""]
    else:
        lines += ["(The goals need yeast, scene, enron or delicious.)", ""]
    lines += ["## Charts", ""]
    lines += [f"![{label}](metric_{key}.png)" for key, label in SCORE_HEADERS.items()]
    lines += ["![micro-F1 vs fit time](quality_vs_fit_time.png)", ""]
    return "\n".join(lines)


def write_charts(rows, out):
    paths = [
        plot_metric(rows, key, label, out / f"metric_{key}.png", log=key.endswith("_s"))
        for key, label in SCORE_HEADERS.items()
    ]
    return [*paths, plot_quality_vs_time(rows, out / "quality_vs_fit_time.png")]


def main(argv=None):
    """Run the comparison; return the result rows (one dict per dataset and method)."""
    args = parse_args(argv)
    print(f"results will go to {args.out}", file=sys.stderr)
    start = time.perf_counter()
    budget = QUICK if args.quick else FULL
    splits = [
        load_split(name).subsample_train(budget.max_train_rows)
        for name in args.datasets
    ]
    rows = run(splits, budget)
    report = build_report(rows, splits, budget, time.perf_counter() - start)
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    written = [
        write_markdown(report, args.out / "results.md"),
        write_csv(rows, args.out / "results.csv"),
        *write_charts(rows, args.out),
    ]
    print(f"wrote {len(written)} files to {args.out}", file=sys.stderr)
    return rows


if __name__ == "__main__":
    main()

"""The main comparison: KerasMultilabelClassifier against one-vs-rest SVMs and MLP.

Fits every method of ``_methods.METHODS`` on the training part of every
dataset of ``_datasets.DATASETS`` (yeast, scene, the two sparse text sets
enron and delicious, and the two seed tutorial sets; sparse X stays sparse
end to end; dense X goes through a StandardScaler) and scores its
predictions on the test part: Hamming loss, subset accuracy, micro/macro/
samples F1, samples Jaccard, fit and predict seconds. The methods:

- the default KerasMultilabelClassifier (learned thresholds), and its fitted
  ensemble read at threshold 0.5 without refitting;
- a tuned KerasMultilabelClassifier (a grid search of single networks, then
  the best parameters as the default ensemble with thresholds learned for
  micro-F1), also read with ``decision="label_set"`` and at threshold 0.5
  without refitting;
- scikit-learn's defaults, ``OneVsRestClassifier(SVC())`` (LinearSVC on the
  text sets) and ``MLPClassifier()``;
- grid-searched one-vs-rest LinearSVC and RBF SVC (logistic regression
  instead of the RBF SVC on the text sets), every grid with the same number
  of candidates, folds and scoring as the network's.

Writes ``results.md`` (environment, tables, goals), ``results.csv`` and PNG
charts to ``benchmarks/results/`` (``--quick``: to a new temporary folder, so
the committed results stay as they are) and prints the report. The goals
section checks the goals set by the issues: the default network against the
default baselines on every set (micro-F1 within 0.005, macro-F1 within 0.01),
its learned thresholds against the same ensemble at 0.5, and the tuned
network against the best tuned one-vs-rest models and the published OvR SVM
numbers.

Run from the repository root (``make bench`` runs the default)::

    python -m benchmarks [--quick] [--datasets yeast scene ...] [--out DIR]

The default run takes about 17 minutes on 2 CPU cores on JAX, most of it on
delicious (983 labels: the tuned linear models and MLPClassifier's 200
iterations take 2-5 minutes each);
``--quick`` (300 training rows, 5 epochs, one network, 2-candidate grids,
2 folds) a few minutes.
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
    VARIANTS,
    best_params,
    classifier_of,
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
    add_datasets_argument,
    header_lines,
    markdown_table,
    write_csv,
    write_markdown,
)
from ._runner import fit_or_reuse, progress

#: The default baselines: scikit-learn's estimators with their defaults.
_DEFAULT_BASELINES = ("OvR SVC default", "MLPClassifier")
#: The best tuned one-vs-rest baselines, on the dense and on the text sets.
_TUNED_DENSE = ("OvR LinearSVC tuned", "OvR RBF-SVC tuned")
_TUNED_TEXT = ("OvR LinearSVC tuned", "OvR LogReg tuned")
_REAL_SETS = ("yeast", "scene", "enron", "delicious")

#: The goals: (datasets, metric, Keras method, reference methods -- the best
#: of them -- or None for the published numbers, what the reference is called,
#: the margin needed, whether the margin must be strictly above it).
#: Each metric of the tuned network is read with the decision rule aimed at
#: it: thresholds learned for micro-F1, the most probable label set for
#: subset accuracy, the 0.5 cut (which minimises the expected Hamming loss
#: of calibrated probabilities) for Hamming loss.
_GOALS = (
    (
        DATASETS,
        "f1_micro",
        "Keras default",
        _DEFAULT_BASELINES,
        "the best default baseline - 0.005",
        -0.005,
        False,
    ),
    (
        DATASETS,
        "f1_macro",
        "Keras default",
        _DEFAULT_BASELINES,
        "the best default baseline - 0.01",
        -0.01,
        False,
    ),
    (
        _REAL_SETS,
        "f1_micro",
        "Keras default",
        ("Keras default, 0.5",),
        "the same ensemble - 0.005",
        -0.005,
        False,
    ),
    (
        ("yeast", "enron"),
        "f1_macro",
        "Keras default",
        ("Keras default, 0.5",),
        "the same ensemble + 0.03",
        0.03,
        False,
    ),
    (
        ("yeast", "scene"),
        "f1_micro",
        "Keras tuned",
        _TUNED_DENSE,
        "the best tuned OvR SVM",
        0.0,
        True,
    ),
    (
        ("yeast", "scene"),
        "subset_accuracy",
        "Keras tuned, label sets",
        _TUNED_DENSE,
        "the best tuned OvR SVM",
        0.0,
        True,
    ),
    (
        ("yeast", "scene"),
        "hamming_loss",
        "Keras tuned, 0.5",
        _TUNED_DENSE,
        "the best tuned OvR SVM",
        0.0,
        True,
    ),
    (
        ("yeast", "scene"),
        "hamming_loss",
        "Keras tuned, 0.5",
        None,
        "the published OvR SVM",
        0.0,
        True,
    ),
    (
        ("yeast", "scene"),
        "jaccard_samples",
        "Keras tuned",
        None,
        "the published OvR SVM",
        0.0,
        True,
    ),
    (
        ("enron", "delicious"),
        "f1_micro",
        "Keras tuned",
        _TUNED_TEXT,
        "the best tuned linear OvR model",
        0.0,
        True,
    ),
    (
        ("enron", "delicious"),
        "f1_macro",
        "Keras tuned",
        _TUNED_TEXT,
        "the best tuned linear OvR model",
        0.0,
        True,
    ),
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="300 training rows, 5 epochs, one network, 2-candidate grids, 2-fold CV",
    )
    add_datasets_argument(parser, DATASETS)
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
        fitted = {}
        for method in methods_for(split):
            with progress(len(rows) + 1, n_steps, f"{split.name} · {method}"):
                if method in VARIANTS:
                    # the fitted estimator of another method, predicting otherwise
                    base, params = VARIANTS[method]
                    reuse = (base, classifier_of, params)
                    estimator, scores = fit_or_reuse(split, fitted, method, reuse=reuse)
                else:
                    estimator, scores = fit_or_reuse(
                        split,
                        fitted,
                        method,
                        make_method(method, budget, split.n_features, split.sparse),
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
    """Every goal of :data:`_GOALS` whose rows were run, one dict each.

    ``margin`` is positive when Keras is better (lower, for Hamming loss).
    """
    by_key = {(row["dataset"], row["method"]): row for row in rows}
    goals = []
    for datasets, metric, keras_method, references, name, needed, strict in _GOALS:
        for dataset in datasets:
            if (dataset, keras_method) not in by_key:
                continue
            if references is None:
                reference = PUBLISHED_OVR_SVM.get(dataset, {}).get(metric)
                against = name
            else:
                runs = [by_key.get((dataset, method)) for method in references]
                runs = [run for run in runs if run is not None]
                if not runs:
                    continue
                higher = MULTILABEL_METRICS[metric]
                best = (max if higher else min)(runs, key=itemgetter(metric))
                reference = best[metric]
                against = (
                    name.replace("the best", f"the best ({best['method']})")
                    if len(references) > 1
                    else name.replace("the same ensemble", f"{best['method']}")
                )
            if reference is None:
                continue
            goals.append(
                _goal(
                    dataset,
                    metric,
                    keras_method,
                    against,
                    by_key,
                    reference,
                    needed,
                    strict,
                )
            )
    return goals


def _goal(dataset, metric, keras_method, against, by_key, reference, needed, strict):
    higher_is_better = MULTILABEL_METRICS[metric]
    value = by_key[dataset, keras_method][metric]
    margin = value - reference if higher_is_better else reference - value
    met = margin > needed if strict else margin >= needed - 1e-12
    return {
        "dataset": dataset,
        "goal": f"{keras_method}: {SCORE_HEADERS[metric]} "
        f"{'above' if higher_is_better else 'below'} {against}",
        "keras": value,
        "reference": reference,
        "margin": margin,
        "met": "**yes**" if met else f"no (by {abs(margin - needed):.4f})",
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
    tuned = [
        row for row in rows if row["best_params"] and row["method"] not in VARIANTS
    ]
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
            "goal": "goal",
            "keras": "Keras",
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

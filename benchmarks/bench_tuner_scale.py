"""MultilabelThresholdTuner around linear models: refit on all data or fold models.

Issue 22, item 4: the tuner must never make a classifier worse. On the text
sets enron and delicious (sparse X), for one-vs-rest ``LinearSVC`` and
``LogisticRegression(solver="liblinear")``, compares on the test part:

- the plain estimator with its own cut (``estimator.fit(X).predict(X_test)``);
- the tuner with ``refit=True``: thresholds learned from 3-fold out-of-fold
  scores, applied to the estimator refitted on all the training rows (the
  tuner's only behaviour before ``refit`` existed);
- the tuner with ``refit=False``: the same thresholds applied to the mean
  score of the three fold models (a cross-fitted ensemble), what
  ``refit="auto"`` does on decision scores;

for ``scoring="f1"`` and ``"f1_micro"``, on decision scores (both models)
and on probabilities (``LogisticRegression``, where ``refit="auto"`` refits).
The folds are the tuner's default ``cv=3`` (iterative stratification).

Delicious has 12,920 training rows and 983 labels: by default 3,000 random
training rows are kept (``--delicious-rows``; the whole test part is
scored). Writes ``bench_tuner_scale.md`` and ``.csv`` to
``benchmarks/results/``. About 10 minutes on 2 cores. Run from the
repository root::

    python -m benchmarks.bench_tuner_scale [--datasets enron ...] [--out DIR]
"""

import argparse

from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from skmultilabelnn import MultilabelThresholdTuner

from ._datasets import load_split
from ._report import (
    add_datasets_argument,
    add_out_argument,
    header_lines,
    markdown_table,
    publish,
)
from ._runner import fit_and_score, progress

DATASETS = ("enron", "delicious")

#: Folds of every tuner.
CV = 3

#: The wrapped models, each one-vs-rest over the labels, 2 jobs.
ESTIMATORS = {
    "LinearSVC": lambda: LinearSVC(random_state=0),
    "LogisticRegression": lambda: LogisticRegression(solver="liblinear"),
}

#: (response_method, refit) of each tuner row, per wrapped model.
TUNER_SETTINGS = {
    "LinearSVC": [("decision_function", True), ("decision_function", False)],
    "LogisticRegression": [
        ("predict_proba", True),
        ("predict_proba", False),
        ("decision_function", True),
        ("decision_function", False),
    ],
}

SCORINGS = ("f1", "f1_micro")


def _methods():
    """(model name, method label, factory, scoring, response, refit) per row."""
    for name, make in ESTIMATORS.items():
        yield name, "plain", lambda make=make: OneVsRestClassifier(make(), n_jobs=2)
        for scoring in SCORINGS:
            for response, refit in TUNER_SETTINGS[name]:
                auto = (response == "decision_function") != refit
                label = f"tuner refit={refit}" + (" (= auto)" if auto else "")

                def factory(make=make, scoring=scoring, response=response, refit=refit):
                    return MultilabelThresholdTuner(
                        OneVsRestClassifier(make(), n_jobs=2),
                        scoring=scoring,
                        response_method=response,
                        refit=refit,
                        cv=CV,
                    )

                yield name, label, factory, scoring, response, refit


def run(splits):
    """Fit and score every method on every split; one dict per pair."""
    methods = [
        method if len(method) == 6 else (*method, "", "", "") for method in _methods()
    ]
    rows, n_runs, step = [], len(splits) * len(methods), 0
    for split in splits:
        plain = {}
        for name, label, make, scoring, response, _refit in methods:
            step += 1
            with progress(step, n_runs, f"{split.name} · {name} · {label} {scoring}"):
                scores, _ = fit_and_score(
                    make(), split.X_train, split.y_train, split.X_test, split.y_test
                )
            if label == "plain":
                plain[name] = scores
            row = {
                "dataset": split.name,
                "n_train": split.X_train.shape[0],
                "model": name,
                "method": label,
                "scoring": scoring,
                "response": response,
                "f1_micro": scores["f1_micro"],
                "margin_micro": scores["f1_micro"] - plain[name]["f1_micro"],
                "f1_macro": scores["f1_macro"],
                "margin_macro": scores["f1_macro"] - plain[name]["f1_macro"],
                "fit_s": scores["fit_s"],
            }
            if label == "plain":
                row["margin_micro"] = row["margin_macro"] = ""
            rows.append(row)
    return rows


def goal_lines(rows):
    """The goal: every tuner with refit='auto' at least the plain micro-F1."""
    lines = []
    for row in rows:
        if not row["method"].endswith("(= auto)"):
            continue
        met = row["margin_micro"] >= 0
        lines.append(
            f"- {row['dataset']} · {row['model']} · {row['response']} · "
            f"scoring={row['scoring']}: micro-F1 {row['margin_micro']:+.4f} "
            f"({'met' if met else 'not met'}: >= 0)"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_datasets_argument(parser, DATASETS)
    parser.add_argument(
        "--delicious-rows",
        type=int,
        default=3000,
        help="random training rows kept of delicious (default: 3000; 0 for all)",
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)

    splits = []
    for name in args.datasets:
        split = load_split(name)
        if name == "delicious" and args.delicious_rows:
            split = split.subsample_train(args.delicious_rows, random_state=0)
        splits.append(split)
    rows = run(splits)
    columns = {
        "dataset": "dataset",
        "n_train": "train rows",
        "model": "OvR model",
        "method": "method",
        "scoring": "scoring",
        "response": "scores",
        "f1_micro": "micro-F1",
        "margin_micro": "Δ micro vs plain",
        "f1_macro": "macro-F1",
        "margin_macro": "Δ macro vs plain",
        "fit_s": "fit s",
    }
    lines = header_lines("Threshold tuner: refit on all data or the fold models")
    lines += [
        f"Tuners: cv={CV} (iterative stratification). Δ columns: difference with",
        "the plain one-vs-rest model's own cut (decision score > 0). Sources: "
        + "; ".join(split.source for split in splits)
        + ".",
        "",
        markdown_table(rows, columns),
        "",
        "Goal (issue 22, item 4): with refit='auto', never below the plain model's",
        "micro-F1:",
        "",
        *goal_lines(rows),
    ]
    publish("\n".join(lines), rows, args.out, "bench_tuner_scale")


if __name__ == "__main__":
    main()

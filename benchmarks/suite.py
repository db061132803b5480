"""Score methods at their defaults on the development suite (``benchmarks/suite``).

Compares, on each set of the suite (see ``benchmarks/_suite.py`` and
``benchmarks/suite/README.md``), the default ``KerasMultilabelClassifier``
(thresholds learned from its cross-fitted members), the 0.1.x defaults
(:data:`OLD_DEFAULTS`), and the default baselines that issue 22's goals
name: ``MLPClassifier()`` and ``OneVsRestClassifier(SVC())`` on dense X
(``LinearSVC()`` on sparse X), dense X standardised as in the main benchmark.
It prints and writes micro-F1, macro-F1 and fit seconds per set and method, the
best baseline's margin, and each method's mean rank over the sets (1 is best).
The held-out sets are not in the suite and never may be. Run::

    python -m benchmarks.suite --datasets emotions flags

A set larger than ``--max-train-rows`` trains on that many random rows (its
test part is kept whole). Seeds are fixed (``random_state=0``).
"""

import argparse

import numpy as np
from scipy.stats import rankdata

from skmultilabelnn import KerasMultilabelClassifier

from ._methods import FULL, make_method, scaled
from ._report import (
    add_datasets_argument,
    add_out_argument,
    header_lines,
    markdown_table,
    publish,
)
from ._runner import fit_and_score, progress
from ._suite import load_suite_split, suite_names

#: The methods compared, in report order (names of ``_methods.make_method``,
#: and :data:`CROSS_FITTED`).
SUITE_METHODS = (
    "Keras default",
    "Keras 0.1.x defaults",
    "MLPClassifier",
    "OvR SVC default",
)

#: The defaults of 0.1.x, before they were chosen on this suite
#: (``benchmarks/choose_defaults.py``).
OLD_DEFAULTS = "Keras 0.1.x defaults"
OLD_DEFAULT_PARAMS = dict(
    hidden_layer_sizes=(100,),
    dropout=0.0,
    learning_rate=0.001,
    n_iter_no_change=10,
    scoring="loss",
    threshold=0.5,
)

#: The default baselines of issue 22's first goal.
BASELINES = ("MLPClassifier", "OvR SVC default")

#: That goal's bar: micro-F1 at most this much below the best baseline's...
MICRO_SLACK = 0.005
#: ... and macro-F1 at most this much.
MACRO_SLACK = 0.01

_COLUMNS = {
    "dataset": "set",
    "method": "method",
    "f1_micro": "micro-F1",
    "margin_micro": "vs best baseline",
    "f1_macro": "macro-F1",
    "margin_macro": "vs best baseline",
    "fit_s": "fit s",
}


def run(names, methods, max_train_rows, load=load_suite_split):
    """Fit and score every method on every set; return the result rows.

    ``load(name)`` gives a set's :class:`Split` (a suite set by default).
    """
    rows = []
    n_steps, step = len(names) * len(methods), 0
    for name in names:
        split = load(name).subsample_train(max_train_rows)
        scored = {}
        for method in methods:
            step += 1
            label = f"{name} ({split.X_train.shape[0]} rows): {method}"
            with progress(step, n_steps, label):
                estimator = _make(method, split)
                scores, _ = fit_and_score(
                    estimator, split.X_train, split.y_train, split.X_test, split.y_test
                )
            scored[method] = scores
        rows += rows_with_margins(name, scored)
    return rows


def _make(method, split):
    """The unfitted estimator of ``method`` for ``split``."""
    if method == OLD_DEFAULTS:
        network = KerasMultilabelClassifier(random_state=0, **OLD_DEFAULT_PARAMS)
        return scaled(network, split.sparse)
    return make_method(method, FULL, split.n_features, split.sparse)


def rows_with_margins(name, scored, baselines=BASELINES):
    """Rows of one set, each method's F1s against the best of ``baselines``
    (names of methods in ``scored``)."""
    baseline_scores = [scored[m] for m in baselines if m in scored]
    best = {
        key: max((s[key] for s in baseline_scores), default=np.nan)
        for key in ("f1_micro", "f1_macro")
    }
    rows = []
    for method, scores in scored.items():
        row = {"dataset": name, "method": method, **scores}
        if method not in baselines and baseline_scores:
            row["margin_micro"] = scores["f1_micro"] - best["f1_micro"]
            row["margin_macro"] = scores["f1_macro"] - best["f1_macro"]
        rows.append(row)
    return rows


def mean_ranks(rows, key):
    """Each method's mean rank of ``key`` over the sets (1 is best, ties shared)."""
    methods = list(dict.fromkeys(row["method"] for row in rows))
    ranks = {method: [] for method in methods}
    for name in dict.fromkeys(row["dataset"] for row in rows):
        of_set = {r["method"]: r[key] for r in rows if r["dataset"] == name}
        values = np.array([of_set[m] for m in methods if m in of_set])
        for method, rank in zip(
            [m for m in methods if m in of_set], rankdata(-values), strict=True
        ):
            ranks[method].append(float(rank))
    return {method: float(np.mean(r)) for method, r in ranks.items() if r}


def report(rows, max_train_rows):
    lines = header_lines("Development suite: methods at their defaults")
    lines += [
        f"Training rows capped at {max_train_rows}." if max_train_rows else "",
        "",
        "## Scores",
        "",
    ]
    lines.append(markdown_table(rows, _COLUMNS))
    lines += ["", "## Mean rank over the sets (1 is best)", ""]
    for key, title in (("f1_micro", "micro-F1"), ("f1_macro", "macro-F1")):
        ranks = mean_ranks(rows, key)
        ordered = sorted(ranks.items(), key=lambda item: item[1])
        cells = ", ".join(f"{method} {rank:.2f}" for method, rank in ordered)
        lines.append(f"- {title}: {cells}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_datasets_argument(parser, suite_names())
    add_datasets_argument(parser, SUITE_METHODS, option="--methods", what="methods")
    parser.add_argument(
        "--max-train-rows",
        type=int,
        default=2000,
        help="train on at most this many random rows of a set (default: 2000)",
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)
    rows = run(args.datasets, args.methods, args.max_train_rows)
    text = report(rows, args.max_train_rows)
    publish(text, rows, args.out, "suite")
    assert all(np.isfinite(row["f1_micro"]) for row in rows)


if __name__ == "__main__":
    main()

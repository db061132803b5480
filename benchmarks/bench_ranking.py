"""Ranking for tagging: P@k, nDCG@k and PSP@k of the network beside linear
models, and the cost of one network on a generated many-label set.

Issue 24, item 5. Sets:

- ``enron`` and ``delicious`` (bundled, sparse X; their fixed train/test
  splits, as in ``bench_wide_text``);
- ``many-labels`` (opt-in: a few minutes): a generated set of ``--many-rows`` rows
  (default 50,000), 5,000 sparse features and ``--many-labels`` labels
  (default 30,000) whose popularity follows a Zipf law (exponent 1), about 5
  labels a row; each label prefers 5 features, and each row's 20 non-zero
  features come first from its labels' preferred features (10 draws), then
  from a Zipf-distributed background (see ``make_many_labels``).

Methods on enron and delicious, each fitted on the training rows and ranking
the test rows' labels, with fit seconds (``fit`` alone) and ranking seconds:

- ``Keras default``: ``KerasMultilabelClassifier(random_state=0)``, ranked
  by ``predict_ranked(X_test, k=5)``;
- ``OvR LinearSVC``: ``OneVsRestClassifier(LinearSVC())``, ranked by
  ``decision_function``;
- ``OvR LogisticRegression``:
  ``OneVsRestClassifier(LogisticRegression(max_iter=1000))`` (lbfgs: about
  0.02 s a label on delicious, so no need for liblinear), ranked by
  ``decision_function``;
- with ``--tuned``, also ``Keras tuned`` and ``OvR LogisticRegression
  tuned``: ``GridSearchCV`` by P@1 (``ranking_scorer("precision", k=1)``,
  ``KFold(3)``, refitted) over four candidates each, the network's width
  (512, 1,024) and dropout (0.3, 0.5), the linear model's ``C`` (0.1, 1, 10,
  100); fit seconds include the search.

A one-vs-rest label never seen in the training rows (one of enron's) gets
the constant decision 0, above most real margins; it is ranked last instead.

With ``--sampled-labels N [N ...]``, each set also gets the network with
``sampled_labels=N`` for each N fewer than its labels (the default network on
enron and delicious, the one network below on ``many-labels``), and the
results go to ``bench_ranking_sampled.md`` and ``.csv``.

On ``many-labels``: ONE network,
``KerasMultilabelClassifier(ensemble_size=1, threshold=0.5, epochs=1,
early_stopping=False, validation_split=0.0, random_state=0)`` (``epochs`` set
by ``--many-epochs``), fitted on the
first 90% of the rows (y given as CSR), then ``predict_ranked(X, k=5)`` on
every row; the ranking metrics of its held-out 10% go in the ranking table,
and a second table gives fit and predict seconds, P@1 and P@5 on the
training rows, those of ranking every held-out row by the training label
counts (what learning only the labels' frequencies gives: one epoch on
4,500 rows of 3,000 labels learns no more than that; 20 epochs reach a
held-out P@1 of 88%), and the peak memory. The measurement runs in a fresh
process (``multiprocessing``'s spawn), which reads its resident size
(``VmRSS``) once the data is made, resets its peak resident size (``VmHWM``,
by writing 5 to ``/proc/self/clear_refs``), and reads that peak after the
prediction; the difference is the fit's and prediction's peak extra memory
(decimal MB). Without ``/proc`` the peak is ``ru_maxrss``, which also
covers making the data.

Metrics (percent): P@1, P@3, P@5, nDCG@3, nDCG@5 and PSP@5 of
``skmultilabelnn.metrics``, PSP with ``inverse_propensities`` of the
training labels (a=0.55, b=1.5). After the tables, the differences the issue
sets goals on: Keras default's P@1, P@3 and P@5 minus the best linear
method's (goal: at least +3 points each), and the issue's reference linear
figures. Writes ``bench_ranking.md`` and ``.csv`` to ``benchmarks/results/``
(``--out`` to change it). About 5 minutes for enron and delicious on 2 cores
with JAX. Run from the repository root::

    KERAS_BACKEND=jax python -m benchmarks.bench_ranking [--sets ...]
    python -m benchmarks.bench_ranking --sets many-labels [--many-rows 5000 \
--many-labels 3000]
"""

import argparse
import functools
import gc
import multiprocessing
import resource
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_delicious, load_enron
from skmultilabelnn.metrics import (
    RankedLabels,
    inverse_propensities,
    ndcg_at_k,
    precision_at_k,
    psp_at_k,
    ranking_scorer,
)

from ._report import add_out_argument, header_lines, markdown_table, publish

SETS = ("enron", "delicious", "many-labels")

#: The sets run without ``--sets`` (``many-labels`` is opt-in).
DEFAULT_SETS = ("enron", "delicious")

#: The issue's reference one-vs-rest liblinear figures, P@1/P@3/P@5 in
#: percent (best of C=1 and C=0.1).
REFERENCE_LINEAR = {"enron": (77.0, 58.2, 43.5), "delicious": (68.2, 61.4, 56.9)}

#: Keras default's P@k over the best linear method's: the goal, in points.
GOAL_POINTS = 3.0

#: The metrics of the ranking table: key, header, function, k.
METRICS = (
    ("p1", "P@1", precision_at_k, 1),
    ("p3", "P@3", precision_at_k, 3),
    ("p5", "P@5", precision_at_k, 5),
    ("ndcg3", "nDCG@3", ndcg_at_k, 3),
    ("ndcg5", "nDCG@5", ndcg_at_k, 5),
    ("psp5", "PSP@5", psp_at_k, 5),
)

#: The generated set: features, each label's preferred features, a row's
#: non-zeros, its draws from its labels' preferred features and from the
#: background, the mean labels a row, and the Zipf exponents of label
#: popularity and of background features.
MANY_FEATURES = 5_000
PREFERRED = 5
NNZ_PER_ROW = 20
TOPICAL_DRAWS = 10
BACKGROUND_DRAWS = 40
LABELS_PER_ROW = 5
LABEL_ZIPF = 1.0
FEATURE_ZIPF = 0.8

#: Share of the generated rows held out from the fit.
HELD_OUT = 0.1


def make_many_labels(n_samples=50_000, n_features=5_000, n_labels=30_000, seed=0):
    """``(X, Y)``, a learnable sparse set of many power-law labels.

    Each row has ``1 + Poisson(4)`` labels drawn with replacement (repeats
    merged, so a little under 5 on average) from a Zipf law of exponent 1
    over the labels (in a random column order). Each label prefers
    ``PREFERRED`` random features. A row's features are its first
    ``NNZ_PER_ROW`` distinct ones among ``TOPICAL_DRAWS`` draws from its
    labels' preferred features followed by ``BACKGROUND_DRAWS`` draws from a
    Zipf law over the features (so a 1-label row has at most 5 topical
    features, a 5-label row up to 10); values uniform in [0.5, 1.5), rows
    L2-normalised.

    Returns
    -------
    X : scipy.sparse.csr_matrix of shape (n_samples, n_features), float32
    Y : scipy.sparse.csr_matrix of shape (n_samples, n_labels), int8
    """
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, n_labels + 1) ** LABEL_ZIPF
    popularity /= popularity.sum()
    label_of_rank = rng.permutation(n_labels)
    counts = 1 + rng.poisson(LABELS_PER_ROW - 1, size=n_samples)
    rows = np.repeat(np.arange(n_samples), counts)
    labels = label_of_rank[rng.choice(n_labels, size=rows.size, p=popularity)]
    Y = sp.csr_matrix(
        (np.ones(rows.size, dtype=np.int8), (rows, labels)), shape=(n_samples, n_labels)
    )
    Y.sum_duplicates()
    Y.data[:] = 1
    Y.sort_indices()

    preferred = rng.integers(n_features, size=(n_labels, PREFERRED))
    n_row_labels = np.diff(Y.indptr)
    picks = Y.indptr[:-1, None] + (
        rng.random((n_samples, TOPICAL_DRAWS)) * n_row_labels[:, None]
    ).astype(np.int64)
    topical = preferred[
        Y.indices[picks], rng.integers(PREFERRED, size=(n_samples, TOPICAL_DRAWS))
    ]
    background_p = 1.0 / np.arange(1, n_features + 1) ** FEATURE_ZIPF
    background_p /= background_p.sum()
    background = rng.permutation(n_features)[
        rng.choice(n_features, size=(n_samples, BACKGROUND_DRAWS), p=background_p)
    ]
    candidates = np.hstack([topical, background])
    # a stable sort puts each feature's first draw first among its repeats
    order = np.argsort(candidates, axis=1, kind="stable")
    in_order = np.take_along_axis(candidates, order, axis=1)
    first_in_order = np.ones(candidates.shape, dtype=bool)
    first_in_order[:, 1:] = in_order[:, 1:] != in_order[:, :-1]
    first = np.empty_like(first_in_order)
    np.put_along_axis(first, order, first_in_order, axis=1)
    kept = first & (np.cumsum(first, axis=1) <= NNZ_PER_ROW)
    x_rows = np.nonzero(kept)[0]
    values = rng.uniform(0.5, 1.5, size=x_rows.size).astype(np.float32)
    X = sp.csr_matrix(
        (values, (x_rows, candidates[kept])),
        shape=(n_samples, n_features),
        dtype=np.float32,
    )
    X.sort_indices()
    return normalize(X).astype(np.float32), Y


def load(name):
    """``(X_train, Y_train, X_test, Y_test)`` of enron or delicious."""
    loader = {"enron": load_enron, "delicious": load_delicious}[name]
    X_train, Y_train = loader(subset="train", return_X_y=True)
    X_test, Y_test = loader(subset="test", return_X_y=True)
    return X_train, Y_train, X_test, Y_test


def methods(tuned=False, sampled_labels=()):
    """(name, factory) of each method of the enron and delicious rows."""
    yield "Keras default", lambda: KerasMultilabelClassifier(random_state=0)
    for n in sampled_labels:
        yield (
            f"Keras default, sampled_labels={n}",
            functools.partial(
                KerasMultilabelClassifier, sampled_labels=n, random_state=0
            ),
        )
    yield "OvR LinearSVC", lambda: OneVsRestClassifier(LinearSVC())
    yield (
        "OvR LogisticRegression",
        lambda: OneVsRestClassifier(LogisticRegression(max_iter=1000)),
    )
    if not tuned:
        return
    yield (
        "Keras tuned",
        lambda: _searched(KerasMultilabelClassifier(random_state=0), KERAS_GRID),
    )
    yield (
        "OvR LogisticRegression tuned",
        lambda: _searched(
            OneVsRestClassifier(LogisticRegression(max_iter=1000)), LINEAR_GRID
        ),
    )


#: The tuned methods' grids (four candidates each), searched by P@1.
KERAS_GRID = {"hidden_layer_sizes": [(512,), (1024,)], "dropout": [0.3, 0.5]}
LINEAR_GRID = {"estimator__C": [0.1, 1.0, 10.0, 100.0]}


def _searched(estimator, grid):
    """``estimator`` searched over ``grid`` by P@1 (``KFold(3)``), refitted."""
    return GridSearchCV(
        estimator,
        grid,
        scoring=ranking_scorer("precision", k=1),
        cv=KFold(3, shuffle=True, random_state=0),
    )


def rank(estimator, X, Y_train):
    """The ranking of ``X``'s labels: RankedLabels or a decision score matrix."""
    estimator = getattr(estimator, "best_estimator_", estimator)
    if isinstance(estimator, KerasMultilabelClassifier):
        return estimator.predict_ranked(X, k=5)
    scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
    # one-vs-rest gives a label absent from the training rows a constant 0
    absent = np.asarray(Y_train.sum(axis=0)).ravel() == 0
    if absent.any():
        scores[:, absent] = scores.min() - 1.0
    return scores


def ranking_metrics(Y_true, ranking, inverse_propensity):
    """Each metric of ``METRICS``, in percent."""
    scores = {}
    for key, _, metric, k in METRICS:
        kwargs = (
            {"inverse_propensity": inverse_propensity} if metric is psp_at_k else {}
        )
        scores[key] = 100.0 * metric(Y_true, ranking, k=k, **kwargs)
    return scores


def measure(name, tuned=False, sampled_labels=()):
    """One row per method on enron or delicious (with each of
    ``sampled_labels`` fewer than the set's labels)."""
    X_train, Y_train, X_test, Y_test = load(name)
    inverse_propensity = inverse_propensities(Y_train)
    sampled_labels = [n for n in sampled_labels if n < Y_train.shape[1]]
    rows = []
    for method, make in methods(tuned, sampled_labels):
        estimator = make()
        start = time.perf_counter()
        estimator.fit(X_train, Y_train)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        ranking = rank(estimator, X_test, Y_train)
        rank_s = time.perf_counter() - start
        rows.append(
            {
                "set": name,
                "shape": f"{len(Y_train)} x {X_train.shape[1]}, "
                f"{Y_train.shape[1]} labels",
                "method": method,
                **ranking_metrics(Y_test, ranking, inverse_propensity),
                "fit_s": fit_s,
                "rank_s": rank_s,
            }
        )
        print(rows[-1], flush=True)
    return rows


def _peak_mb():
    """This process's peak resident size so far, in MB (Linux: ru_maxrss KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _status_mb(field):
    """A size of /proc/self/status in MB (Linux), or None without /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        return None
    return None


def _resident_mb():
    """This process's resident size now, in MB (Linux: VmRSS of /proc)."""
    resident = _status_mb("VmRSS")
    return _peak_mb() if resident is None else resident


def _reset_peak():
    """Reset this process's peak resident size (Linux: VmHWM), if it can."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def _peak_since_reset_mb():
    """The peak resident size since ``_reset_peak`` (VmHWM), else the
    process's peak so far (``ru_maxrss``, which also covers making the data)."""
    peak = _status_mb("VmHWM")
    return _peak_mb() if peak is None else peak


def many_labels_child(n_rows, n_labels, epochs=1, sampled_labels=None):
    """The many-labels measurement; run in a fresh process (see ``measure_many``)."""
    warnings.filterwarnings("ignore")
    X, Y = make_many_labels(n_rows, MANY_FEATURES, n_labels)
    n_train = n_rows - int(round(HELD_OUT * n_rows))
    gc.collect()
    before_mb = _resident_mb()
    _reset_peak()
    estimator = KerasMultilabelClassifier(
        ensemble_size=1,
        threshold=0.5,
        epochs=epochs,
        sampled_labels=sampled_labels,
        early_stopping=False,
        validation_split=0.0,
        random_state=0,
    )
    start = time.perf_counter()
    estimator.fit(X[:n_train], Y[:n_train])
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    ranked = estimator.predict_ranked(X, k=5)
    predict_s = time.perf_counter() - start
    after_mb = _peak_since_reset_mb()

    def part(rows):
        return RankedLabels(
            ranked.indices[rows], ranked.scores[rows], ranked.n_labels, ranked.classes
        )

    train, test = slice(0, n_train), slice(n_train, n_rows)
    Y_train = Y[train]
    # the baseline a network that learned only label frequencies matches
    counts = np.asarray(Y_train.sum(axis=0)).ravel()
    top = np.argsort(-counts, kind="stable")[:5]
    popular = RankedLabels(
        np.tile(top, (n_rows - n_train, 1)),
        np.tile(counts[top].astype(np.float64), (n_rows - n_train, 1)),
        n_labels,
    )
    row = {
        "set": "many-labels",
        "shape": f"{n_train} x {X.shape[1]}, {Y.shape[1]} labels",
        "method": f"Keras 1 network, {epochs} epoch{'s' * (epochs > 1)}"
        + ("" if sampled_labels is None else f", sampled_labels={sampled_labels}")
        + " (held-out 10%)",
        **ranking_metrics(Y[test], part(test), inverse_propensities(Y_train)),
        "fit_s": fit_s,
        "rank_s": predict_s,
        "predict_rows": n_rows,
        "labels_a_row": Y.nnz / n_rows,
        "nnz_a_row": X.nnz / n_rows,
        "train_p1": 100.0 * precision_at_k(Y_train, part(train), k=1),
        "train_p5": 100.0 * precision_at_k(Y_train, part(train), k=5),
        "popular_p1": 100.0 * precision_at_k(Y[test], popular, k=1),
        "popular_p5": 100.0 * precision_at_k(Y[test], popular, k=5),
        "peak_before_mb": before_mb,
        "peak_after_mb": after_mb,
        "peak_extra_mb": after_mb - before_mb,
    }
    return row


def measure_many(n_rows, n_labels, epochs=1, sampled_labels=None):
    """The many-labels row, measured in a fresh spawned process."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        row = pool.submit(
            many_labels_child, n_rows, n_labels, epochs, sampled_labels
        ).result()
    print(row, flush=True)
    return row


def goal_lines(rows):
    """Keras default's (and tuned) P@k minus the best linear method's, and the
    issue's reference figures."""
    by = {(r["set"], r["method"]): r for r in rows}
    lines = []
    for name in dict.fromkeys(r["set"] for r in rows):
        if (name, "Keras default") not in by:
            continue
        ours = by[name, "Keras default"]
        for method, linear_methods in (
            ("Keras default", ("OvR LinearSVC", "OvR LogisticRegression")),
            ("Keras tuned", ("OvR LogisticRegression tuned",)),
        ):
            linear = [by[name, m] for m in linear_methods if (name, m) in by]
            if (name, method) in by and linear:
                lines.append(_gap_line(name, by[name, method], linear))
        if name in REFERENCE_LINEAR:
            reference = REFERENCE_LINEAR[name]
            gaps = [
                ours[key] - ref
                for key, ref in zip(("p1", "p3", "p5"), reference, strict=True)
            ]
            met = all(gap >= GOAL_POINTS for gap in gaps)
            lines.append(
                f"- {name}: the issue's reference linear figures (liblinear OvR, "
                f"best of C=1 and 0.1), P@1/3/5 "
                + "/".join(f"{ref:.1f}" for ref in reference)
                + "; Keras default minus them: "
                + "/".join(f"{gap:+.2f}" for gap in gaps)
                + f": {'met' if met else 'not met'}"
            )
    return lines


def _gap_line(name, ours, linear):
    """``ours``' P@1/3/5 minus the best of ``linear``'s, against the goal."""
    parts, met = [], True
    for key, header in (("p1", "P@1"), ("p3", "P@3"), ("p5", "P@5")):
        best = max(linear, key=lambda r, key=key: r[key])
        gap = ours[key] - best[key]
        met &= gap >= GOAL_POINTS
        parts.append(
            f"{header} {ours[key]:.1f} vs {best[key]:.1f} ({best['method']}) {gap:+.2f}"
        )
    return (
        f"- {name}: {ours['method']} minus the best linear method "
        f"(goal >= +{GOAL_POINTS:.1f} points each): "
        + "; ".join(parts)
        + f": {'met' if met else 'not met'}"
    )


def _table(rows, columns, decimals):
    """``markdown_table`` of ``rows`` with the ``decimals`` keys so rounded."""

    def cell(key, value):
        if key in decimals and isinstance(value, float):
            return f"{value:.{decimals[key]}f}"
        return value

    shown = [{key: cell(key, row.get(key)) for key in columns} for row in rows]
    lines = markdown_table(shown, columns).splitlines()
    lines[1] = "|" + "".join(
        "---:|" if key in decimals or key.endswith("_s") else "---|" for key in columns
    )
    return "\n".join(lines)


def ranking_table(rows):
    """The markdown ranking table: metrics in percent, 1 decimal."""
    columns = {
        "set": "set",
        "shape": "train rows x features",
        "method": "method",
        **{key: header for key, header, _, _ in METRICS},
        "fit_s": "fit s",
        "rank_s": "rank s",
    }
    return _table(rows, columns, {key: 1 for key, *_ in METRICS})


def cost_table(rows):
    """The markdown table of the many-labels set's time and memory."""
    columns = {
        "shape": "train rows x features",
        "labels_a_row": "labels a row",
        "nnz_a_row": "non-zeros a row",
        "fit_s": "fit s",
        "predict_rows": "predict_ranked rows",
        "rank_s": "predict s",
        "train_p1": "train P@1",
        "train_p5": "train P@5",
        "popular_p1": "held-out P@1, by popularity",
        "popular_p5": "held-out P@5, by popularity",
        "peak_before_mb": "MB before fit",
        "peak_after_mb": "peak MB after predict",
        "peak_extra_mb": "peak extra MB",
    }
    decimals = {
        "labels_a_row": 2,
        "nnz_a_row": 2,
        "train_p1": 1,
        "train_p5": 1,
        "popular_p1": 1,
        "popular_p5": 1,
        "peak_before_mb": 0,
        "peak_after_mb": 0,
        "peak_extra_mb": 0,
        "predict_rows": 0,
    }
    return _table(rows, columns, decimals)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=SETS,
        default=list(DEFAULT_SETS),
        help="sets to run (default: enron delicious; many-labels is opt-in)",
    )
    parser.add_argument(
        "--many-rows",
        type=int,
        default=50_000,
        help="rows of the many-labels set (default: 50000)",
    )
    parser.add_argument(
        "--many-labels",
        type=int,
        default=30_000,
        help="labels of the many-labels set (default: 30000)",
    )
    parser.add_argument(
        "--many-epochs",
        type=int,
        default=1,
        help="epochs of the many-labels network (default: 1)",
    )
    parser.add_argument(
        "--sampled-labels",
        type=int,
        nargs="+",
        default=[],
        help="also the default network with each of these sampled_labels "
        "fewer than a set's labels, beside the full output layer; the "
        "results go to bench_ranking_sampled.md (default: the full layer only)",
    )
    parser.add_argument(
        "--tuned",
        action="store_true",
        help="also the network and LogisticRegression tuned by GridSearchCV on "
        "P@1 (four candidates each, KFold(3))",
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = []
    for name in args.sets:
        if name == "many-labels":
            sampled = [n for n in args.sampled_labels if n < args.many_labels]
            for n in [None, *sampled]:
                rows.append(
                    measure_many(args.many_rows, args.many_labels, args.many_epochs, n)
                )
        else:
            rows += measure(name, args.tuned, args.sampled_labels)
    import keras

    lines = header_lines(
        "Ranking: P@k, nDCG@k, PSP@k", mode=f"backend {keras.backend.backend()}"
    )
    lines += [
        "Metrics in percent on the test rows; PSP@5 with the inverse propensities",
        "of the training labels (a=0.55, b=1.5). fit s: `fit` alone; rank s:",
        "`predict_ranked(X, k=5)` or `decision_function` on the ranked rows.",
        "",
        ranking_table(rows),
    ]
    many = [row for row in rows if row["set"] == "many-labels"]
    if many:
        lines += [
            "",
            "Many labels: one network, the epochs its method names, fitted on 90%"
            " of the rows (y as",
            "CSR), `predict_ranked(X, k=5)` on every row, in a fresh process;",
            "peak extra MB: its peak resident size during fit and prediction",
            "(`VmHWM`, reset once the data was made) minus its resident size",
            "then (`VmRSS`). By popularity: every",
            "held-out row ranked by the training label counts, what a network that",
            "learned nothing but the labels' frequencies scores.",
            "",
            cost_table(many),
        ]
    goals = goal_lines(rows)
    if goals:
        lines += ["", *goals]
    stem = "bench_ranking_sampled" if args.sampled_labels else "bench_ranking"
    publish("\n".join(lines) + "\n", rows, args.out, stem)
    return rows


if __name__ == "__main__":
    main()

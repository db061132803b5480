"""Speed of KerasMultilabelClassifier, side by side with its references.

For each Keras backend (each in its own process, since Keras picks its
backend at import) this measures, as ratios taken in the same process:

1. the first fit in a fresh process (compilation included) of the seed
   tutorial's net (10-20-3, 900 rows, batch 32, 100 epochs) against
   ``MLPClassifier``'s first fit of the same net, epochs and batch size
   (Adam, no early stopping, ``tol=0`` so that it runs every epoch); and
   the same in a second fresh process with the backend's compilation cache
   on disk, which a first process filled (``compilation_cache_env``);
2. ten further fits of that net on the ten ``KFold`` training sets, against
   the same ten fits with ``MLPClassifier``; and ten fits on ``X[i:900]``
   (900, 899, ..., 891 rows), which compile once per shape bucket;
3. the seed tutorial's whole ``RepeatedKFold(10, 3)`` protocol (30 fits)
   against the same protocol with ``MLPClassifier``;
4. fit on yeast (1500x103, hidden (100,), 100 epochs), medians of
   ``--repeats`` fits, against ``MLPClassifier``; and the default
   estimator against ``MLPClassifier()`` on yeast and scene, after a
   warm-up fit, medians of fits with ``random_state`` 1 to ``--repeats``
   (other seeds draw other folds: a user's fits);
5. ``predict_proba`` latency for 1 and 10 rows against scikeras'
   ``KerasClassifier.predict_proba`` on the same trained model, and
   throughput on 100k rows against the model's own ``predict``;
6. fit seconds per epoch and memory for 10k, 100k and 1M rows of 100
   float32 features and 20 labels, each size in a fresh process
   (``--max-rows``): the peak extra memory of ``fit`` over the float32 size
   of X (target <= 1.5), and what is still held after ``fit`` returns;
7. a wide sparse X (20,000 x 200,000 CSR, 30 non-zeros a row; 15 GB if it
   were dense), hidden (100,), batch 32: fit seconds per epoch (a 5-epoch
   fit after a 1-epoch fit of the same size), predict seconds and the peak
   extra memory of fit + predict (targets: 1 s an epoch on JAX, 3 s on
   TensorFlow, 0.5 s to predict, 600 MB), in a fresh process.

Writes ``bench_speed.md`` and ``bench_speed.csv`` to ``benchmarks/results/``.
About 6 minutes per backend on 2 cores. Run from the repository root::

    python -m benchmarks.bench_speed [--backends tensorflow jax] [--repeats 3]
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import numpy as np

from ._report import add_out_argument, header_lines, markdown_table, publish

#: The tutorial's network: one hidden layer of 20 units.
SEED_HIDDEN = (20,)
EPOCHS, BATCH_SIZE = 100, 32
SCALING_ROWS = (10_000, 100_000, 1_000_000)
SCALING_EPOCHS = 2
#: Rows of the wide sparse matrix (200,000 features, 30 non-zeros a row).
SPARSE_ROWS = 20_000
#: Epochs of its timed fit, after a one-epoch fit of the same size (compiled).
SPARSE_EPOCHS = 5
#: Its targets (the wide-text issue's): seconds an epoch, predict seconds on
#: the 20,000 rows, peak extra memory of fit + predict.
SPARSE_TARGETS = {
    "jax": {"s_per_epoch": 1.0, "predict_s": 0.5, "peak_extra_mb": 600},
    "tensorflow": {"s_per_epoch": 3.0, "predict_s": 0.5, "peak_extra_mb": 600},
}

#: Targets per backend (ours / reference), from the training-engine issue.
TARGETS = {
    "first fit vs MLPClassifier": {"tensorflow": 1.5, "jax": 1.5},
    "10 further fits vs MLPClassifier": {"tensorflow": 0.5, "jax": 0.15},
    "10 fits of 900 to 891 rows vs MLPClassifier": {"tensorflow": 0.5, "jax": 0.15},
    "RepeatedKFold vs MLPClassifier": {"tensorflow": 0.5, "jax": 0.15},
    "fit vs MLPClassifier": {"tensorflow": 0.5, "jax": 0.25},
    # the ensemble issue's: the default estimator (learned thresholds included)
    "default fit vs MLPClassifier()": {"tensorflow": 1.0, "jax": 0.5},
    "extra fit memory / X": {"tensorflow": 1.5, "jax": 1.5},
}


def _median_seconds(function, repeats, *args):
    """Median wall-clock seconds of ``function(*args)`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _ours(hidden, **params):
    from skmultilabelnn import KerasMultilabelClassifier

    # one network for a fixed number of epochs, as the MLPClassifier it is
    # timed against (not the default ensemble with early stopping), with
    # MLPClassifier's learning rate, no dropout, a 0.5 cut
    defaults = dict(
        dropout=0.0,
        learning_rate=0.001,
        threshold=0.5,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        random_state=0,
        ensemble_size=1,
        early_stopping=False,
        validation_split=0.0,
    )
    return KerasMultilabelClassifier(
        hidden_layer_sizes=hidden, **{**defaults, **params}
    )


def _mlp(hidden):
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(
        hidden,
        solver="adam",
        learning_rate_init=0.001,
        batch_size=BATCH_SIZE,
        max_iter=EPOCHS,
        tol=0.0,
        n_iter_no_change=EPOCHS + 1,
        early_stopping=False,
        random_state=0,
    )


def _row(measure, data, ours_s, reference_s, reference, target=None, unit="s"):
    ratio = ours_s / reference_s
    row = {
        "measure": measure,
        "data": data,
        "ours": ours_s,
        "reference": reference_s,
        "reference_name": reference,
        "unit": unit,
        "ratio": ratio,
    }
    if target is not None:
        import keras

        row["target"] = target = TARGETS[target][keras.backend.backend()]
        row["met"] = "yes" if ratio <= target else "no"
    return row


def _progress(message):
    print(message, file=sys.stderr, flush=True)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def _first_fit_row(X_seed, y_seed, measure="first fit vs MLPClassifier"):
    """Row 1: the first fit in this process against ``MLPClassifier``'s."""
    ours_s = _timed(_ours(SEED_HIDDEN).fit, X_seed[:900], y_seed[:900])
    mlp_s = _timed(_mlp(SEED_HIDDEN).fit, X_seed[:900], y_seed[:900])
    return _row(
        measure,
        "seed 900x10, hidden (20,)",
        ours_s,
        mlp_s,
        "MLPClassifier.fit",
        "first fit vs MLPClassifier",
    )


def compilation_cache_env(backend, directory):
    """The environment variables that keep ``backend``'s compilations in
    ``directory`` across processes: JAX's persistent compilation cache (every
    compilation, however quick or small), or TensorFlow's persistent cache of
    XLA compilations."""
    if backend == "jax":
        return {
            "JAX_COMPILATION_CACHE_DIR": directory,
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
            "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
        }
    flags = os.environ.get("TF_XLA_FLAGS", "")
    return {"TF_XLA_FLAGS": f"{flags} --tf_xla_persistent_cache_directory={directory}"}


def measure_first_fit_cached():
    """Row 1b, in a fresh process whose compilation cache on disk an earlier
    process filled (see ``compilation_cache_env``)."""
    from ._datasets import make_seed_data

    X_seed, y_seed = make_seed_data("seed-1000x10")
    return [
        _first_fit_row(
            X_seed.astype(np.float32),
            y_seed,
            measure="first fit vs MLPClassifier, compilation cache on disk",
        )
    ]


def measure_fits(repeats):
    """Rows 1-4: fit times against MLPClassifier, starting in a fresh process."""
    from sklearn.model_selection import KFold, RepeatedKFold, cross_validate

    from ._datasets import load_split, make_seed_data

    X_seed, y_seed = make_seed_data("seed-1000x10")
    X_seed = X_seed.astype(np.float32)
    rows = []

    _progress("  first fit in this process (seed net, 900 rows)")
    rows.append(_first_fit_row(X_seed, y_seed))
    _progress("  10 further fits (KFold(10) training sets)")
    folds = list(KFold(10, shuffle=True, random_state=0).split(X_seed))
    times = {}
    for name, make in [
        ("ours", lambda: _ours(SEED_HIDDEN)),
        ("mlp", lambda: _mlp(SEED_HIDDEN)),
    ]:
        times[name] = sum(
            _timed(make().fit, X_seed[train], y_seed[train]) for train, _ in folds
        )
    rows.append(
        _row(
            "10 further fits vs MLPClassifier",
            "seed 900x10, hidden (20,)",
            times["ours"],
            times["mlp"],
            "the same 10 fits, MLPClassifier",
            "10 further fits vs MLPClassifier",
        )
    )
    _progress("  10 fits of X[i:], 900 to 891 rows")
    nearby = {}
    for name, make in [
        ("ours", lambda: _ours(SEED_HIDDEN)),
        ("mlp", lambda: _mlp(SEED_HIDDEN)),
    ]:
        nearby[name] = sum(
            _timed(make().fit, X_seed[i:900], y_seed[i:900]) for i in range(10)
        )
    rows.append(
        _row(
            "10 fits of 900 to 891 rows vs MLPClassifier",
            "seed X[i:900], hidden (20,)",
            nearby["ours"],
            nearby["mlp"],
            "the same 10 fits, MLPClassifier",
            "10 fits of 900 to 891 rows vs MLPClassifier",
        )
    )
    _progress("  RepeatedKFold(10, 3) protocol (seed 1000x10), 30 fits each")
    cv = RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)
    protocol = {}
    for name, estimator in [("ours", _ours(SEED_HIDDEN)), ("mlp", _mlp(SEED_HIDDEN))]:
        protocol[name] = _timed(
            cross_validate, estimator, X_seed, y_seed, cv=cv, scoring="accuracy"
        )
    rows.append(
        _row(
            "RepeatedKFold vs MLPClassifier",
            "seed 1000x10, 30 fits",
            protocol["ours"],
            protocol["mlp"],
            "same protocol, MLPClassifier",
            "RepeatedKFold vs MLPClassifier",
        )
    )
    _progress("  fit vs MLPClassifier (yeast 1500x103)")
    yeast = load_split("yeast")
    ours_s = _median_seconds(_ours((100,)).fit, repeats, yeast.X_train, yeast.y_train)
    mlp_s = _median_seconds(_mlp((100,)).fit, repeats, yeast.X_train, yeast.y_train)
    rows.append(
        _row(
            "fit vs MLPClassifier",
            "yeast 1500x103, hidden (100,)",
            ours_s,
            mlp_s,
            "MLPClassifier.fit",
            "fit vs MLPClassifier",
        )
    )
    rows += _default_fits(repeats)
    return rows


def _default_fits(repeats):
    """Row 4b: the default estimator against ``MLPClassifier()``, as a user
    fits them: after one warm-up fit, ``repeats`` fits of other
    ``random_state`` values (each draws other cross-fitting folds, so other
    row counts), medians."""
    from sklearn.neural_network import MLPClassifier

    from skmultilabelnn import KerasMultilabelClassifier

    from ._datasets import load_split

    rows = []
    for name in ("yeast", "scene"):
        _progress(f"  default fit vs MLPClassifier() ({name})")
        split = load_split(name)
        X, y = split.X_train, split.y_train
        KerasMultilabelClassifier(random_state=0).fit(X, y)
        seeds = range(1, repeats + 1)
        ours = [
            _timed(KerasMultilabelClassifier(random_state=s).fit, X, y) for s in seeds
        ]
        mlp = [_timed(MLPClassifier(random_state=s).fit, X, y) for s in seeds]
        rows.append(
            _row(
                "default fit vs MLPClassifier()",
                f"{name} {X.shape[0]}x{X.shape[1]}, random_state 1-{repeats}",
                float(np.median(ours)),
                float(np.median(mlp)),
                "MLPClassifier().fit",
                "default fit vs MLPClassifier()",
            )
        )
    return rows


def measure_predict(repeats):
    """Row 4: predict_proba latency and throughput."""
    from scikeras.wrappers import KerasClassifier

    from ._datasets import make_seed_data

    X, y = make_seed_data("seed-1000x10")
    X = X.astype(np.float32)
    ours = _ours(SEED_HIDDEN, epochs=5).fit(X, y)
    model = ours.model_
    scikeras = KerasClassifier(
        model=lambda: model, loss="binary_crossentropy", verbose=0
    )
    scikeras.initialize(X, y)
    rows = []
    n_calls = 50 * repeats
    for n_rows in (1, 10):
        batch = X[:n_rows]
        ours.predict_proba(batch), scikeras.predict_proba(batch)  # warm up
        ours_s = _median_seconds(ours.predict_proba, n_calls, batch)
        ref_s = _median_seconds(scikeras.predict_proba, n_calls, batch)
        row = _row(
            "predict_proba latency",
            f"{n_rows} row(s)",
            ours_s * 1e3,
            ref_s * 1e3,
            "scikeras KerasClassifier.predict_proba",
            unit="ms",
        )
        row["target"] = "<= 2 ms and ratio <= 0.05"
        row["met"] = "yes" if ours_s <= 2e-3 and row["ratio"] <= 0.05 else "no"
        rows.append(row)
    big = np.random.default_rng(0).normal(size=(100_000, X.shape[1])).astype("float32")
    ours.predict_proba(big[:4096]), model.predict(big[:4096], verbose=0)
    ours_s = _median_seconds(ours.predict_proba, repeats, big)
    ref_s = _median_seconds(lambda: model.predict(big, verbose=0), repeats)
    row = _row(
        "predict_proba throughput",
        "100k rows",
        len(big) / ours_s,
        len(big) / ref_s,
        "Keras Model.predict (batch 32)",
        unit="rows/s",
    )
    row["target"] = "ratio >= 1"
    row["met"] = "yes" if row["ratio"] >= 1 else "no"
    rows.append(row)
    return rows


def _fit_memory(X, y, predict=False, epochs=SCALING_EPOCHS, warmup_rows=1000):
    """Fit (then predict on) ``X`` after a warm-up fit; memory and seconds.

    The warm-up fit (one epoch) takes the first ``warmup_rows`` rows, or all
    of them (None: the timed fit then compiles nothing).
    Returns the peak extra MB over the memory before the fit, fit seconds per
    epoch, predict seconds (None without ``predict``) and the MB before the fit.
    """
    clf = _ours((100,), epochs=1)
    clf.fit(X[:warmup_rows], y[:warmup_rows])  # imports, compilation
    if predict:
        clf.predict_proba(X[:warmup_rows])
    clf = _ours((100,), epochs=epochs)
    before_mb = _current_rss_mb()
    predict_s = None
    with _PeakRss() as peak:
        start = time.perf_counter()
        clf.fit(X, y)
        per_epoch = (time.perf_counter() - start) / epochs
        if predict:
            start = time.perf_counter()
            clf.predict_proba(X)
            predict_s = time.perf_counter() - start
    return peak.mb - before_mb, per_epoch, predict_s, before_mb


def measure_scaling(n_rows):
    """Row 6, in this (fresh) process: seconds per epoch and fit memory."""
    import keras

    rng = np.random.default_rng(0)
    X = rng.standard_normal(size=(n_rows, 100), dtype=np.float32)
    y = X[:, :20] + rng.standard_normal((n_rows, 20), dtype=np.float32) > 0.5
    y = y.astype(np.int64)
    peak_extra_mb, per_epoch, _, before_mb = _fit_memory(X, y)
    x_mb = X.nbytes / 2**20
    row = _row(
        "extra fit memory / X",
        f"{n_rows} x 100, 20 labels",
        peak_extra_mb,
        x_mb,
        "float32 size of X",
        "extra fit memory / X" if n_rows >= 1_000_000 else None,
        unit="MB",
    )
    row["s_per_epoch"] = per_epoch
    row["held_after_fit_mb"] = _current_rss_mb() - before_mb
    row["backend"] = keras.backend.backend()
    return row


class _PeakRss:
    """The highest resident memory seen while the block runs (sampled every 2 ms)."""

    def __enter__(self):
        self.mb = _current_rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.002):
            self.mb = max(self.mb, _current_rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, _current_rss_mb())


def measure_sparse(n_rows, n_features=200_000, nnz_per_row=30, n_labels=20):
    """Wide sparse X, in this (fresh) process: fit and predict memory and speed.

    A CSR matrix of ``n_rows`` x ``n_features`` with ``nnz_per_row`` ones a row
    (a TF-IDF-like text matrix; dense it would take ``n_rows * n_features * 4``
    bytes); label ``j`` is on when a row has a feature ``f`` with
    ``f % 1000 == j``.
    """
    import keras
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    indices = rng.integers(0, n_features, size=(n_rows, nnz_per_row))
    indptr = np.arange(0, n_rows * nnz_per_row + 1, nnz_per_row)
    data = np.ones(n_rows * nnz_per_row, dtype=np.float32)
    X = sp.csr_matrix((data, indices.ravel(), indptr), shape=(n_rows, n_features))
    X.sum_duplicates()
    y = np.zeros((n_rows, n_labels), dtype=np.int64)
    for j in range(n_labels):
        y[:, j] = (indices % 1000 == j).any(axis=1)
    peak_extra_mb, per_epoch, predict_s, _ = _fit_memory(
        X, y, predict=True, epochs=SPARSE_EPOCHS, warmup_rows=None
    )
    csr_mb = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20
    targets = SPARSE_TARGETS[keras.backend.backend()]
    met = (
        per_epoch <= targets["s_per_epoch"]
        and predict_s <= targets["predict_s"]
        and peak_extra_mb <= targets["peak_extra_mb"]
    )
    return {
        "backend": keras.backend.backend(),
        "data": f"{n_rows} x {n_features} CSR, {nnz_per_row} non-zeros a row, "
        f"{n_labels} labels",
        "csr_mb": csr_mb,
        "dense_mb": n_rows * n_features * 4 / 2**20,
        "s_per_epoch": per_epoch,
        "predict_s": predict_s,
        "peak_extra_mb": peak_extra_mb,
        "target": (
            f"<= {targets['s_per_epoch']} s/epoch, <= {targets['predict_s']} s "
            f"predict, <= {targets['peak_extra_mb']} MB"
        ),
        "met": "yes" if met else "no",
    }


def _current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _worker(args):
    import keras

    warnings.filterwarnings("ignore")
    if args.first_fit_cached:
        rows = measure_first_fit_cached()
    elif args.sparse_rows:
        rows = [measure_sparse(args.sparse_rows)]
    elif args.scaling_rows:
        rows = [measure_scaling(args.scaling_rows)]
    else:
        rows = measure_fits(args.repeats) + measure_predict(args.repeats)
    for row in rows:
        row["backend"] = keras.backend.backend()
    json.dump(rows, sys.stdout)


def worker_env(backend, env=None):
    """The environment of a worker process on ``backend``: this process's,
    with ``env`` added, and TensorFlow's logs silenced."""
    return {
        **os.environ,
        **(env or {}),
        "KERAS_BACKEND": backend,
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }


def _run_worker(backend, extra, env=None):
    env = worker_env(backend, env)
    command = [sys.executable, "-m", "benchmarks.bench_speed", "--worker", *extra]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise RuntimeError(f"the {backend} worker failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    available = [b for b in ("tensorflow", "jax") if importlib.util.find_spec(b)]
    parser.add_argument("--backends", nargs="+", default=available)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=SCALING_ROWS[-1])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scaling-rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sparse-rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--first-fit-cached", action="store_true", help=argparse.SUPPRESS
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)

    rows, scaling, sparse = [], [], []
    for backend in args.backends:
        _progress(f"[{backend}] fits and predictions, {args.repeats} repeats")
        rows += _run_worker(backend, ["--repeats", str(args.repeats)])
        _progress(f"[{backend}] first fit, compilation cache on disk")
        with tempfile.TemporaryDirectory() as cache:
            env = compilation_cache_env(backend, cache)
            _run_worker(backend, ["--first-fit-cached"], env)  # fills the cache
            rows += _run_worker(backend, ["--first-fit-cached"], env)
        for n_rows in (n for n in SCALING_ROWS if n <= args.max_rows):
            _progress(f"[{backend}] fit scaling, {n_rows} rows")
            scaling += _run_worker(backend, ["--scaling-rows", str(n_rows)])
        _progress(f"[{backend}] wide sparse X, {SPARSE_ROWS} rows")
        sparse += _run_worker(backend, ["--sparse-rows", str(SPARSE_ROWS)])
    columns = {
        "backend": "backend",
        "measure": "measure",
        "data": "data",
        "ours": "ours",
        "reference": "reference",
        "unit": "unit",
        "ratio": "ratio",
        "target": "target",
        "met": "met",
        "reference_name": "reference is",
    }
    scaling_columns = {
        "backend": "backend",
        "data": "data",
        "s_per_epoch": "fit s/epoch",
        "ours": "peak extra MB in fit",
        "reference": "X MB (float32)",
        "ratio": "ratio",
        "target": "target",
        "met": "met",
        "held_after_fit_mb": "MB still held after fit",
    }
    lines = header_lines(
        "KerasMultilabelClassifier speed", mode=f"{args.repeats} repeats"
    )
    lines += [
        "Ratios are ours / reference; lower is better except for throughput.",
        "First fit, further fits and RepeatedKFold: one run each, taken in a fresh",
        "process; yeast and predictions: medians over the repeats.",
        "",
        markdown_table(rows, columns),
        "",
        f"Fit scaling ({SCALING_EPOCHS} epochs, hidden (100,), batch {BATCH_SIZE}):",
        "",
        markdown_table(scaling, scaling_columns) if scaling else "(skipped)",
        "",
        f"Wide sparse X: fit ({SPARSE_EPOCHS} epochs, hidden (100,), batch 32) then "
        "predict_proba on all rows; peak extra memory over the process before the fit:",
        "",
        markdown_table(
            sparse,
            {
                "backend": "backend",
                "data": "data",
                "csr_mb": "CSR MB",
                "dense_mb": "dense would be MB",
                "s_per_epoch": "fit s/epoch",
                "predict_s": "predict s",
                "peak_extra_mb": "peak extra MB",
                "target": "target",
                "met": "met",
            },
        ),
    ]
    publish("\n".join(lines), rows + scaling + sparse, args.out, "bench_speed")
    return None


if __name__ == "__main__":
    main()

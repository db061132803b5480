"""Speed of KerasMultilabelClassifier, side by side with its references.

For each Keras backend (each in its own process, since Keras picks its
backend at import) this measures, as ratios of medians over ``--repeats``
runs taken in the same process:

1. wrapper overhead: ``KerasMultilabelClassifier.fit`` against the same Keras
   model's own ``fit`` on the same arrays, epochs and batch size;
2. fit time against ``MLPClassifier`` with the same hidden sizes, epochs,
   batch size, Adam and no early stopping (``tol=0``, so it runs every
   epoch), on the 1000x10 seed set and on yeast;
3. the seed tutorial's whole ``RepeatedKFold(10, 3)`` protocol (one run of
   30 fits each) against the same protocol with ``MLPClassifier``;
4. ``predict_proba`` latency for 1 and 10 rows against scikeras'
   ``KerasClassifier.predict_proba`` on the same trained model, and
   throughput on 100k rows against the model's own ``predict``;
6. fit seconds per epoch and peak memory for 10k, 100k and 1M rows of 100
   features and 20 labels (each size in a fresh process; ``--max-rows``).

Writes ``bench_speed.md`` and ``bench_speed.csv`` to ``benchmarks/results/``.
About 10 minutes per backend on 2 cores. Run from the repository root::

    python -m benchmarks.bench_speed [--backends tensorflow jax] [--repeats 5]
"""

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

from ._report import add_out_argument, header_lines, markdown_table, publish

#: The tutorial's network: one hidden layer of 20 units.
SEED_HIDDEN = (20,)
EPOCHS, BATCH_SIZE = 100, 32
SCALING_ROWS = (10_000, 100_000, 1_000_000)
SCALING_EPOCHS = 2

TARGETS = {
    "wrapper overhead": 1.05,
    "fit vs MLPClassifier": 1.0,
    "RepeatedKFold vs MLPClassifier": 1.0,
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

    defaults = dict(epochs=EPOCHS, batch_size=BATCH_SIZE, random_state=0)
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


def _raw_keras_fit(X, y, hidden):
    """The same network as the estimator's default, trained by Keras alone."""
    import keras

    from skmultilabelnn import build_mlp

    keras.utils.set_random_seed(0)
    meta = {"X_shape_": X.shape, "n_outputs_": y.shape[1], "out_activation_": "sigmoid"}
    model = build_mlp(meta, hidden_layer_sizes=hidden, activation="relu", dropout=0.0)
    model.compile(keras.optimizers.Adam(0.001), keras.losses.BinaryCrossentropy())
    model.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    return model


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
        row["target"] = target
        row["met"] = "yes" if ratio <= target else "no"
    return row


def _progress(message):
    print(message, file=sys.stderr, flush=True)


def measure_fits(repeats):
    """Rows 1-3: fit times against raw Keras and MLPClassifier."""
    from sklearn.model_selection import RepeatedKFold, cross_validate

    from ._datasets import load_split, make_seed_data

    X_seed, y_seed = make_seed_data("seed-1000x10")
    X_seed = X_seed.astype(np.float32)
    yeast = load_split("yeast")
    rows = []

    _progress("  wrapper overhead (seed 1000x10)")
    ours_s = _median_seconds(lambda: _ours(SEED_HIDDEN).fit(X_seed, y_seed), repeats)
    raw_s = _median_seconds(
        lambda: _raw_keras_fit(X_seed, y_seed.astype(np.float32), SEED_HIDDEN),
        repeats,
    )
    rows.append(
        _row(
            "wrapper overhead",
            "seed 1000x10",
            ours_s,
            raw_s,
            "Keras Model.fit",
            TARGETS["wrapper overhead"],
        )
    )
    for name, X, y, hidden in [
        ("seed 1000x10", X_seed, y_seed, SEED_HIDDEN),
        ("yeast 1500x103", yeast.X_train, yeast.y_train, (100,)),
    ]:
        _progress(f"  fit vs MLPClassifier ({name})")
        # fit starts afresh at each call (no warm start)
        ours_s = _median_seconds(_ours(hidden).fit, repeats, X, y)
        mlp_s = _median_seconds(_mlp(hidden).fit, repeats, X, y)
        rows.append(
            _row(
                "fit vs MLPClassifier",
                f"{name}, hidden {hidden}",
                ours_s,
                mlp_s,
                "MLPClassifier.fit",
                TARGETS["fit vs MLPClassifier"],
            )
        )
    _progress("  RepeatedKFold(10, 3) protocol (seed 1000x10), 30 fits each")
    cv = RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)
    protocol = {}
    for name, estimator in [("ours", _ours(SEED_HIDDEN)), ("mlp", _mlp(SEED_HIDDEN))]:
        start = time.perf_counter()
        cross_validate(estimator, X_seed, y_seed, cv=cv, scoring="accuracy")
        protocol[name] = time.perf_counter() - start
    rows.append(
        _row(
            "RepeatedKFold vs MLPClassifier",
            "seed 1000x10, 30 fits",
            protocol["ours"],
            protocol["mlp"],
            "same protocol, MLPClassifier",
            TARGETS["RepeatedKFold vs MLPClassifier"],
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


def measure_scaling(n_rows):
    """Row 6, in this (fresh) process: seconds per epoch and peak memory."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, 100)).astype(np.float32)
    y = (X[:, :20] + rng.normal(size=(n_rows, 20)) > 0.5).astype(np.int64)
    data_mb = (X.nbytes + y.nbytes) / 2**20
    base_mb = _peak_rss_mb()
    clf = _ours((100,), epochs=SCALING_EPOCHS)
    start = time.perf_counter()
    clf.fit(X, y)
    per_epoch = (time.perf_counter() - start) / SCALING_EPOCHS
    return {
        "measure": "fit scaling",
        "data": f"{n_rows} x 100, 20 labels",
        "ours": per_epoch,
        "unit": "s/epoch",
        "data_mb": data_mb,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_growth_mb": _peak_rss_mb() - base_mb,
    }


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(args):
    import keras

    warnings.filterwarnings("ignore")
    if args.scaling_rows:
        rows = [measure_scaling(args.scaling_rows)]
    else:
        rows = measure_fits(args.repeats) + measure_predict(args.repeats)
    for row in rows:
        row["backend"] = keras.backend.backend()
    json.dump(rows, sys.stdout)


def _run_worker(backend, extra):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
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
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-rows", type=int, default=SCALING_ROWS[-1])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scaling-rows", type=int, help=argparse.SUPPRESS)
    add_out_argument(parser)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)

    rows, scaling = [], []
    for backend in args.backends:
        _progress(f"[{backend}] fits and predictions, {args.repeats} repeats")
        rows += _run_worker(backend, ["--repeats", str(args.repeats)])
        for n_rows in (n for n in SCALING_ROWS if n <= args.max_rows):
            _progress(f"[{backend}] fit scaling, {n_rows} rows")
            scaling += _run_worker(backend, ["--scaling-rows", str(n_rows)])
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
        "ours": "fit s/epoch",
        "data_mb": "data MB",
        "peak_rss_mb": "peak RSS MB",
        "rss_growth_mb": "RSS growth in fit, MB",
    }
    lines = header_lines(
        "KerasMultilabelClassifier speed", mode=f"{args.repeats} repeats"
    )
    lines += [
        "Ratios are ours / reference, of medians over the repeats (RepeatedKFold:",
        "one run of 30 fits each); lower is better except for throughput.",
        "",
        markdown_table(rows, columns),
        "",
        f"Fit scaling ({SCALING_EPOCHS} epochs, hidden (100,), batch {BATCH_SIZE}):",
        "",
        markdown_table(scaling, scaling_columns) if scaling else "(skipped)",
    ]
    publish("\n".join(lines), rows + scaling, args.out, "bench_speed")
    return None


if __name__ == "__main__":
    main()

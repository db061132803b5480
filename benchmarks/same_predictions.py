"""Check that a change leaves the estimator's predictions as they were.

Fits a fixed set of seeded estimators (the default ensemble, ``threshold="auto"``,
a sparse enron fit, a CNN on images, class weights, dropout, warm start and
``partial_fit``, predict-time parameters, the threshold tuner) and records what
they predict. ``--save FILE`` writes the arrays; ``--compare FILE`` fits the
same estimators again and reports, per array, whether it is bit-for-bit equal
to the saved one (and the largest difference where it is not). Run it once on
the code before a refactoring and once after, on each backend::

    KERAS_BACKEND=jax python -m benchmarks.same_predictions --save before_jax.npz
    # ... change the code ...
    KERAS_BACKEND=jax python -m benchmarks.same_predictions --compare before_jax.npz

Exits with status 1 when an array differs.
"""

import argparse
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from skmultilabelnn import (
    KerasMultilabelClassifier,
    MultilabelThresholdTuner,
    build_cnn,
)
from skmultilabelnn.datasets import load_enron, load_yeast, make_multilabel_shapes


def _yeast(n_rows):
    X, Y = load_yeast(subset="train", return_X_y=True)
    X_test, _ = load_yeast(subset="test", return_X_y=True)
    return X[:n_rows], Y[:n_rows], X_test[:200]


def cases():
    """Yield ``(name, function)``; each function returns a dict of arrays."""
    X, Y, X_test = _yeast(600)

    def fitted(clf, X=X, Y=Y, X_test=X_test, **fit):
        clf.fit(X, Y, **fit)
        out = {"proba": clf.predict_proba(X_test), "predict": clf.predict(X_test)}
        if hasattr(clf, "thresholds_"):
            out["thresholds"] = clf.thresholds_
        return out

    yield "default", lambda: fitted(KerasMultilabelClassifier(random_state=0))
    yield (
        "auto",
        lambda: fitted(
            KerasMultilabelClassifier(threshold="auto", ensemble_size=2, random_state=0)
        ),
    )
    yield (
        "auto_f1_samples_balanced",
        lambda: fitted(
            KerasMultilabelClassifier(
                threshold="auto",
                threshold_metric="f1_samples",
                class_weight="balanced",
                ensemble_size=1,
                random_state=1,
            )
        ),
    )

    def enron():
        X, Y = load_enron(subset="train", return_X_y=True)
        X_test, _ = load_enron(subset="test", return_X_y=True)
        clf = KerasMultilabelClassifier(ensemble_size=2, epochs=20, random_state=0)
        return fitted(clf, X[:600], Y[:600], X_test[:300])

    yield "enron_sparse", enron

    def cnn():
        X, Y = make_multilabel_shapes(n_samples=160, image_size=16, random_state=0)
        clf = KerasMultilabelClassifier(
            model=build_cnn,
            model__filters=(4, 8),
            epochs=3,
            ensemble_size=1,
            early_stopping=False,
            validation_split=0.0,
            random_state=0,
        )
        return fitted(clf, X[:120], Y[:120], X[120:])

    yield "cnn", cnn

    def weighted_dropout():
        weights = np.linspace(0.0, 2.0, X.shape[0])
        clf = KerasMultilabelClassifier(
            hidden_layer_sizes=(32, 16), dropout=0.2, epochs=15, random_state=3
        )
        return fitted(clf, sample_weight=weights)

    yield "sample_weight_dropout", weighted_dropout

    def warm_and_partial():
        clf = KerasMultilabelClassifier(
            epochs=5, ensemble_size=2, warm_start=True, random_state=0
        )
        clf.fit(X, Y)
        clf.fit(X, Y)
        clf.partial_fit(X[:100], Y[:100])
        return {"proba": clf.predict_proba(X_test), "n_iter": np.array(clf.n_iter_)}

    yield "warm_start_partial_fit", warm_and_partial

    def predict_time():
        clf = KerasMultilabelClassifier(ensemble_size=1, epochs=10, random_state=0)
        clf.fit(X, Y)
        return {
            "label_set": clf.set_params(decision="label_set").predict(X_test),
            "at_least_one": clf.set_params(
                decision="threshold", threshold=0.9, at_least_one_label=True
            ).predict(X_test),
            "per_label": clf.set_params(
                threshold=np.linspace(0.2, 0.8, Y.shape[1]), at_least_one_label=False
            ).predict(X_test),
        }

    yield "predict_time_parameters", predict_time

    def multiclass():
        y = Y.argmax(axis=1)
        clf = KerasMultilabelClassifier(
            ensemble_size=2, epochs=5, class_weight="balanced", random_state=0
        )
        clf.fit(X, y)
        return {"proba": clf.predict_proba(X_test), "predict": clf.predict(X_test)}

    yield "multiclass_balanced", multiclass

    def tuner():
        out = {}
        for cv in (3, 4):
            tuned = MultilabelThresholdTuner(
                OneVsRestClassifier(LogisticRegression(max_iter=200)), cv=cv
            ).fit(X, Y)
            out[f"thresholds_cv{cv}"] = tuned.thresholds_
            out[f"predict_cv{cv}"] = tuned.predict(X_test)
        return out

    yield "tuner", tuner


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="FILE")
    group.add_argument("--compare", metavar="FILE")
    args = parser.parse_args(argv)
    import keras

    print(f"backend: {keras.backend.backend()}")
    arrays = {}
    for name, case in cases():
        start = time.perf_counter()
        for key, value in case().items():
            arrays[f"{name}/{key}"] = np.asarray(value)
        print(f"{name}: fitted in {time.perf_counter() - start:.1f} s", flush=True)
    if args.save:
        np.savez(args.save, **arrays)
        print(f"saved {len(arrays)} arrays to {args.save}")
        return 0
    saved = np.load(args.compare)
    n_different = 0
    for key in sorted(set(saved.files) | set(arrays)):
        if key not in saved.files or key not in arrays:
            print(f"{key}: only in {'this run' if key in arrays else 'the saved file'}")
            n_different += 1
            continue
        before, after = saved[key], arrays[key]
        if before.shape == after.shape and np.array_equal(before, after):
            print(f"{key}: equal {after.shape}")
            continue
        n_different += 1
        if before.shape != after.shape:
            print(f"{key}: DIFFERENT shapes {before.shape} -> {after.shape}")
        else:
            difference = np.max(np.abs(before.astype(float) - after.astype(float)))
            print(f"{key}: DIFFERENT, largest difference {difference:.3g}")
    print(f"{len(arrays) - n_different} of {len(arrays)} arrays equal")
    return 1 if n_different else 0


if __name__ == "__main__":
    sys.exit(main())

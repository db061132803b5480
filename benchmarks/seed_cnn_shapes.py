"""Seed tutorial 3: a CNN on small multilabel images, against MLP and SVMs on pixels.

Generates 32x32x3 images with ``make_multilabel_shapes`` (labels: which of
circle, square, triangle and cross each image shows), 2000 to train and 1000
to test, and compares KerasMultilabelClassifier with ``model=build_cnn`` (the
tutorial's two 3x3 convolutions, 32 and 64 filters, max pooling, sigmoid
outputs; early stopping on a 10% validation split) with the default
KerasMultilabelClassifier MLP and one-vs-rest LinearSVC and RBF SVC, all three
on the flattened pixels. Every method sees the raw pixel values in [0, 1].
Reports micro precision, recall and F1, Hamming loss, subset accuracy and
timings; writes ``seed_cnn_shapes.md`` and ``.csv`` to ``benchmarks/results/``.
About 3 minutes on 2 cores. Run from the repository root::

    python -m benchmarks.seed_cnn_shapes [--n-train 2000] [--n-test 1000] [--out DIR]
"""

import argparse

from sklearn.metrics import precision_score, recall_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import SVC, LinearSVC

from skmultilabelnn import KerasMultilabelClassifier, build_cnn
from skmultilabelnn.datasets import make_multilabel_shapes

from ._methods import trained_epochs
from ._report import add_out_argument, header_lines, markdown_table, publish
from ._runner import fit_and_score, progress

_COLUMNS = {
    "method": "method",
    "input": "input",
    "precision_micro": "micro precision",
    "recall_micro": "micro recall",
    "f1_micro": "micro-F1",
    "hamming_loss": "Hamming loss",
    "subset_accuracy": "subset acc.",
    "fit_s": "fit s",
    "predict_s": "predict s",
    "epochs": "epochs",
}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.seed_cnn_shapes",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--n-train", type=int, default=2000)
    parser.add_argument("--n-test", type=int, default=1000)
    parser.add_argument(
        "--cnn-epochs", type=int, default=30, help="most epochs of the CNN"
    )
    add_out_argument(parser)
    args = parser.parse_args(argv)

    images, y = make_multilabel_shapes(args.n_train + args.n_test, random_state=0)
    pixels = images.reshape(len(images), -1)
    train, test = slice(None, args.n_train), slice(args.n_train, None)
    methods = {
        "CNN (build_cnn, 32-64 filters)": (
            KerasMultilabelClassifier(
                model=build_cnn,
                epochs=args.cnn_epochs,
                early_stopping=True,
                validation_split=0.1,
                n_iter_no_change=5,
                random_state=0,
                ensemble_size=1,  # the tutorial's one network
            ),
            images,
        ),
        "MLP (Keras default)": (KerasMultilabelClassifier(random_state=0), pixels),
        "OvR LinearSVC": (OneVsRestClassifier(LinearSVC(random_state=0)), pixels),
        "OvR RBF-SVC": (OneVsRestClassifier(SVC(kernel="rbf")), pixels),
    }
    rows = []
    for step, (name, (estimator, X)) in enumerate(methods.items(), start=1):
        with progress(step, len(methods), f"shapes · {name}"):
            scores, y_pred = fit_and_score(
                estimator, X[train], y[train], X[test], y[test]
            )
        rows.append(
            {
                "method": name,
                "input": "x".join(map(str, X.shape[1:])),
                "precision_micro": float(
                    precision_score(y[test], y_pred, average="micro", zero_division=0)
                ),
                "recall_micro": float(
                    recall_score(y[test], y_pred, average="micro", zero_division=0)
                ),
                **scores,
                "epochs": trained_epochs(estimator),
            }
        )

    lines = header_lines("Seed tutorial 3: CNN on multilabel shape images")
    lines += [
        f"- data: make_multilabel_shapes({args.n_train + args.n_test}, "
        f"random_state=0): first {args.n_train} images to train, last "
        f"{args.n_test} to test; 32x32x3, 4 labels (circle, square, triangle, cross)",
        f"- CNN: build_cnn defaults, at most {args.cnn_epochs} epochs, early "
        "stopping (patience 5) on validation_split=0.1, batch 32",
        "- MLP: KerasMultilabelClassifier(random_state=0), its defaults: an ensemble "
        "of 5 cross-fitted (512,) relu networks with early stopping and learned "
        "thresholds",
        "- SVMs: default C (and gamma='scale')",
        "",
        markdown_table(rows, _COLUMNS),
        "",
    ]
    publish("\n".join(lines), rows, args.out, "seed_cnn_shapes")
    return rows


if __name__ == "__main__":
    main()

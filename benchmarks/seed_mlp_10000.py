"""Seed tutorial 1: a 32-16-8 MLP on the 10000x6 seed set, 50 epochs, batch 250.

Reproduces the tutorial's network (Dense 32-16-8, relu, He-uniform
initialisation, sigmoid outputs, binary cross-entropy, Adam) with
KerasMultilabelClassifier on
``make_multilabel_classification(n_samples=10000, n_features=6, n_classes=3,
n_labels=2, random_state=42)``, split 67/33 (``test_size=0.33``), trained
50 epochs in batches of 250 with ``validation_split=0.2``. Reports the test
binary accuracy (the fraction of correct label entries; the tutorial reports
0.856) and the usual multilabel metrics, on raw features as in the tutorial
and after a StandardScaler. Writes ``seed_mlp_10000.md`` and ``.csv`` to
``benchmarks/results/``. About half a minute. Run from the repository root::

    python -m benchmarks.seed_mlp_10000 [--epochs 50] [--out DIR]
"""

import argparse

import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier

from ._datasets import load_split
from ._methods import build_he_mlp
from ._report import (
    SCORE_HEADERS,
    add_out_argument,
    header_lines,
    markdown_table,
    publish,
)
from ._runner import fit_and_score, progress

#: Test binary accuracy the tutorial reports for this network.
TUTORIAL_BINARY_ACCURACY = 0.856


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.seed_mlp_10000",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--epochs", type=int, default=50)
    add_out_argument(parser)
    args = parser.parse_args(argv)

    split = load_split("seed-10000x6")
    network = KerasMultilabelClassifier(
        model=build_he_mlp,
        model__hidden_layer_sizes=(32, 16, 8),
        epochs=args.epochs,
        batch_size=250,
        validation_split=0.2,
        random_state=0,
        # the tutorial's recipe: one network, every epoch
        ensemble_size=1,
        early_stopping=False,
    )
    methods = {
        "MLP 32-16-8, raw features (tutorial)": network,
        "MLP 32-16-8, after StandardScaler": make_pipeline(StandardScaler(), network),
    }
    rows = []
    for step, (name, estimator) in enumerate(methods.items(), start=1):
        with progress(step, len(methods), f"{split.name} · {name}"):
            scores, y_pred = fit_and_score(
                estimator, split.X_train, split.y_train, split.X_test, split.y_test
            )
        binary_accuracy = float(np.mean(y_pred == split.y_test))
        rows.append({"method": name, "binary_accuracy": binary_accuracy, **scores})

    columns = {"method": "method", "binary_accuracy": "binary acc.", **SCORE_HEADERS}
    lines = header_lines("Seed tutorial 1: MLP 32-16-8 on the 10000x6 seed set")
    lines += [
        f"- data: {split.source}; train {len(split.X_train)}, test {len(split.X_test)}",
        f"- network: Dense 32-16-8 relu he_uniform, sigmoid outputs; Adam 0.001, "
        f"binary cross-entropy, {args.epochs} epochs, batch 250, "
        "validation_split=0.2, random_state=0",
        f"- tutorial's test binary accuracy: {TUTORIAL_BINARY_ACCURACY}",
        "",
        markdown_table(rows, columns),
        "",
    ]
    publish("\n".join(lines), rows, args.out, "seed_mlp_10000")
    return rows


if __name__ == "__main__":
    main()

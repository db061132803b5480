"""A quick tour: the network against a one-vs-rest SVM on the bundled yeast set.

Loads the standard (Mulan) train/test split of yeast (1500 / 917 genes, 103
features, 14 labels) with ``skmultilabelnn.datasets.load_yeast``, fits

- ``KerasMultilabelClassifier(random_state=0)``: the estimator's defaults (an
  ensemble of 5 cross-fitted networks of 512 relu units, each early-stopped on
  the fold it did not train on, and one threshold per label learned from
  those out-of-fold probabilities);
- the same with ``threshold=0.5``: every label predicted when its
  probability is >= 0.5 (the members then early-stop on 10% of the rows);
- ``OneVsRestClassifier(SVC())``: one RBF SVM per label, default C and gamma,

each after a ``StandardScaler``, prints a table of micro-F1, macro-F1, subset
accuracy, Hamming loss and fit seconds, and draws the F1 of each label for
each method to ``demo.png``. It writes into a new temporary folder unless
``--out DIR`` is given, and prints where. About 30 seconds on 2 CPU cores
(``make demo``). The full comparison, with tuned methods on six datasets, is
``python -m benchmarks`` (``make bench``). Run from the repository root::

    python -m benchmarks.demo [--out DIR]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_yeast

from ._report import markdown_table
from ._runner import fit_and_score, progress

_COLUMNS = {
    "method": "method",
    "f1_micro": "micro-F1",
    "f1_macro": "macro-F1",
    "subset_accuracy": "subset acc.",
    "hamming_loss": "Hamming loss",
    "fit_s": "fit s",
}


def methods():
    """The compared estimators, each after a StandardScaler, by name."""

    def network(**params):
        return make_pipeline(
            StandardScaler(), KerasMultilabelClassifier(random_state=0, **params)
        )

    return {
        "KerasMultilabelClassifier": network(),
        "KerasMultilabelClassifier(threshold=0.5)": network(threshold=0.5),
        "OneVsRestClassifier(SVC())": make_pipeline(
            StandardScaler(), OneVsRestClassifier(SVC())
        ),
    }


def plot_label_f1(y_test, predictions, label_names, path):
    """Draw each label's test F1 for each method as grouped bars to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positions = np.arange(len(label_names))
    width = 0.8 / len(predictions)
    fig, ax = plt.subplots(figsize=(10, 4))
    for i, (name, y_pred) in enumerate(predictions.items()):
        f1 = f1_score(y_test, y_pred, average=None, zero_division=0)
        ax.bar(
            positions + (i - 0.5 * (len(predictions) - 1)) * width,
            f1,
            width,
            label=name,
        )
    support = y_test.sum(axis=0)
    ticks = [f"{name} ({n})" for name, n in zip(label_names, support, strict=True)]
    ax.set_xticks(positions, ticks, rotation=45, ha="right")
    ax.set(
        ylim=(0, 1.2),
        ylabel="test F1",
        xlabel="label (test support)",
        title="yeast: F1 of each label on the test set",
    )
    ax.legend(loc="upper left", ncols=len(predictions), fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.demo", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for demo.png (default: a new temporary folder)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = args.out or Path(tempfile.mkdtemp(prefix="skmultilabelnn-demo-"))
    out.mkdir(parents=True, exist_ok=True)

    train = load_yeast(subset="train")
    X_test, y_test = load_yeast(subset="test", return_X_y=True)
    print(
        f"yeast: {train.data.shape[0]} training and {X_test.shape[0]} test genes, "
        f"{train.data.shape[1]} features, {train.target.shape[1]} labels",
        file=sys.stderr,
    )
    estimators = methods()
    rows, predictions = [], {}
    for step, (name, estimator) in enumerate(estimators.items(), start=1):
        with progress(step, len(estimators), f"fitting {name}"):
            scores, predictions[name] = fit_and_score(
                estimator, train.data, train.target, X_test, y_test
            )
        rows.append({"method": name, **scores})

    print()
    print(markdown_table(rows, _COLUMNS))
    print()
    network = estimators["KerasMultilabelClassifier"][-1]
    print(f"Early stopping ended the default training after {network.n_iter_} epochs.")
    path = plot_label_f1(y_test, predictions, train.target_names, out / "demo.png")
    print(f"Per-label F1 plot: {path}")
    print(
        f"Done in {time.perf_counter() - start:.0f} s. The full benchmark (tuned "
        "methods, six datasets): make bench. Docs and examples: make docs."
    )
    return rows


if __name__ == "__main__":
    main()

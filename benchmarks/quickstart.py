"""Quick start: KerasMultilabelClassifier on the seed tutorial's data, as a table.

Fits the default estimator and the seed tutorial's small network on
``make_multilabel_classification(n_samples=1000, n_features=10, n_classes=3,
n_labels=2, random_state=1)`` with a 67/33 split, and prints Hamming loss,
subset accuracy, F1 scores, Jaccard and timings for each, next to
scikit-learn's MLPClassifier of the same size. Run with ``make demo`` or::

    python benchmarks/quickstart.py [--epochs 100] [--seed 1]
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sklearn.datasets import make_multilabel_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from skmultilabelnn import KerasMultilabelClassifier  # noqa: E402
from skmultilabelnn.metrics import MULTILABEL_METRICS, multilabel_scores  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # MLPClassifier warns when it stops at --epochs; the table shows where it got to.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    X, y = make_multilabel_classification(
        n_samples=1000, n_features=10, n_classes=3, n_labels=2, random_state=1
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.33, random_state=args.seed
    )
    methods = {
        "KerasMultilabelClassifier (default, 100 units)": KerasMultilabelClassifier(
            epochs=args.epochs, random_state=args.seed
        ),
        "KerasMultilabelClassifier (20 units)": KerasMultilabelClassifier(
            hidden_layer_sizes=(20,), epochs=args.epochs, random_state=args.seed
        ),
        "MLPClassifier (20 units)": MLPClassifier(
            hidden_layer_sizes=(20,), max_iter=args.epochs, random_state=args.seed
        ),
    }
    columns = [*MULTILABEL_METRICS, "fit_s", "predict_s"]
    print(f"seed data 1000x10, 3 labels; train {len(X_train)}, test {len(X_test)}\n")
    print("| method | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, estimator in methods.items():
        start = time.perf_counter()
        estimator.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        y_pred = estimator.predict(X_test)
        predict_s = time.perf_counter() - start
        row = {
            **multilabel_scores(y_test, y_pred),
            "fit_s": fit_s,
            "predict_s": predict_s,
        }
        print(f"| {name} | " + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")


if __name__ == "__main__":
    main()

"""The benchmark datasets by name, each as a fixed train/test split."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import train_test_split

from skmultilabelnn.datasets import (
    load_delicious,
    load_enron,
    load_scene,
    load_yeast,
)

#: Arguments of ``make_multilabel_classification`` for the seed tutorials' sets.
SEED_SETS = {
    "seed-1000x10": dict(
        n_samples=1000, n_features=10, n_classes=3, n_labels=2, random_state=1
    ),
    "seed-10000x6": dict(
        n_samples=10000, n_features=6, n_classes=3, n_labels=2, random_state=42
    ),
}

_LOADERS = {
    "yeast": load_yeast,
    "scene": load_scene,
    "enron": load_enron,
    "delicious": load_delicious,
}

#: Every dataset name, in report order.
DATASETS = (*_LOADERS, *SEED_SETS)

#: One-vs-rest SVM results published on the standard yeast and scene splits
#: (Tsoumakas and Katakis 2007, Table 8; see /work/shared/datasets/README.md).
PUBLISHED_OVR_SVM = {
    "yeast": {"hamming_loss": 0.200, "jaccard_samples": 0.502},
    "scene": {"hamming_loss": 0.114, "jaccard_samples": 0.571},
}


@dataclass(frozen=True)
class Split:
    """One dataset's training and test parts, and where they come from."""

    name: str
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    source: str

    @property
    def n_labels(self):
        return self.y_train.shape[1]

    @property
    def n_features(self):
        return self.X_train.shape[1]

    @property
    def sparse(self):
        """Whether X is a sparse matrix (the bag-of-words text sets)."""
        return sp.issparse(self.X_train)

    def subsample_train(self, max_rows, random_state=0):
        """Return the split with at most ``max_rows`` random training rows."""
        if max_rows is None or self.X_train.shape[0] <= max_rows:
            return self
        rng = np.random.default_rng(random_state)
        rows = np.sort(rng.choice(self.X_train.shape[0], size=max_rows, replace=False))
        return Split(
            self.name,
            self.X_train[rows],
            self.X_test,
            self.y_train[rows],
            self.y_test,
            f"{self.source}; {max_rows} random training rows",
        )


def make_seed_data(name):
    """Return ``(X, y)`` of the seed set ``name``, one of :data:`SEED_SETS`."""
    return make_multilabel_classification(**SEED_SETS[name])


def load_split(name):
    """Return the :class:`Split` of dataset ``name``, one of :data:`DATASETS`.

    yeast and scene use their standard (Mulan) train/test split, enron and
    delicious (sparse X) their bundled fixed random split; a seed set is
    split 67/33 by ``train_test_split(test_size=0.33, random_state=0)``.
    """
    if name in _LOADERS:
        load = _LOADERS[name]
        X_train, y_train = load(subset="train", return_X_y=True)
        X_test, y_test = load(subset="test", return_X_y=True)
        source = f"load_{name}(), standard train/test split"
    elif name in SEED_SETS:
        X, y = make_seed_data(name)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.33, random_state=0
        )
        args = ", ".join(f"{key}={value}" for key, value in SEED_SETS[name].items())
        source = f"make_multilabel_classification({args}), 67/33 split"
    else:
        raise ValueError(f"Unknown dataset {name!r}; expected one of {DATASETS}.")
    return Split(name, X_train, X_test, y_train, y_test, source)

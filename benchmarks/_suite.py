"""The development suite: public multilabel sets beyond the four the package ships.

Seventeen sets in their usual Mulan/MEKA versions (dense and sparse, 5 to 374
labels, 194 to 28,596 rows), converted to ``.npz`` with their sources and
citations in ``benchmarks/suite/README.md``. Defaults are to be chosen on these
(and judged leave-one-set-out); the sets kept aside to check the result
(bibtex, medical, the rcv1 subsets, the Yahoo sets, Reuters-21578) are not
among them and must never be added.

The folder is ``benchmarks/suite/`` unless the environment variable
``SKMULTILABELNN_SUITE`` names another (a cache of larger sets).
"""

import json
import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split

from ._datasets import Split

#: The folder of the suite that ships with the benchmarks.
SHIPPED = Path(__file__).parent / "suite"

#: Names (in lowercase) that must never enter the suite: the held-out sets.
HELD_OUT = (
    "bibtex",
    "medical",
    "rcv1",
    "yahoo",
    "arts",
    "business",
    "computers",
    "education",
    "entertainment",
    "health",
    "recreation",
    "reference",
    "science",
    "social",
    "society",
    "reuters",
)

#: Share of the rows a set without a standard split keeps for testing.
TEST_SIZE = 1 / 3


def suite_folder():
    """The folder holding the suite's ``manifest.json`` and ``.npz`` files."""
    return Path(os.environ.get("SKMULTILABELNN_SUITE", SHIPPED))


def manifest(folder=None):
    """The suite's manifest: for each set, its sizes, split and source."""
    with open(Path(folder or suite_folder()) / "manifest.json") as file:
        return json.load(file)["sets"]


def suite_names(folder=None):
    """The names of the suite's sets, sorted, none of them held out."""
    names = sorted(manifest(folder))
    held_out = [n for n in names if any(word in n.lower() for word in HELD_OUT)]
    if held_out:
        raise ValueError(
            f"The suite folder holds sets kept aside for checking: {held_out}; "
            "they must not be used to develop or tune anything."
        )
    return names


def _features(archive, part):
    if f"X_{part}" in archive.files:
        return archive[f"X_{part}"].astype(np.float32)
    return sp.csr_matrix(
        (
            archive[f"X_{part}_data"].astype(np.float32),
            archive[f"X_{part}_indices"],
            archive[f"X_{part}_indptr"],
        ),
        shape=tuple(int(n) for n in archive[f"X_{part}_shape"]),
    )


def load_suite_split(name, folder=None):
    """The :class:`Split` of suite set ``name``.

    A set with a standard (Mulan) split uses it; the others are split
    2/3 - 1/3 at random, once, by ``train_test_split(random_state=0)``.
    """
    if name not in suite_names(folder):
        raise ValueError(f"Unknown suite set {name!r}; expected one of the manifest's.")
    return load_split_file(Path(folder or suite_folder()) / f"{name}.npz", name)


def load_split_file(path, name, origin="suite"):
    """The :class:`Split` of the set saved at ``path`` (the suite's ``.npz``
    format), named ``name``; ``origin`` begins its source line."""
    with np.load(path, allow_pickle=False) as archive:
        X_train, X_test = _features(archive, "train"), _features(archive, "test")
        # int64: scikit-learn 1.9 casts an integer indicator's column indices
        # to its dtype, so a uint8 Y of more than 256 labels (corel5k) would
        # reach one-vs-rest models and MLPClassifier with shuffled columns
        Y_train = archive["Y_train"].astype(np.int64)
        Y_test = archive["Y_test"].astype(np.int64)
        standard = str(archive["split"]) == "standard"
    if standard:
        source = f"{origin} {name}, standard train/test split"
        return Split(name, X_train, X_test, Y_train, Y_test, source)
    X_train, X_test, Y_train, Y_test = train_test_split(
        X_train, Y_train, test_size=TEST_SIZE, random_state=0
    )
    source = f"{origin} {name}, random 2/3 - 1/3 split (random_state=0)"
    return Split(name, X_train, X_test, Y_train, Y_test, source)

"""Loaders for the bundled multilabel benchmark sets.

yeast and scene are dense; enron and delicious are sparse bag-of-words text
sets. All four are read by the one private reader :func:`_load`; the text of
each set's ``DESCR`` is the file ``descr/<name>.rst`` beside this module.
"""

from importlib import resources

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch

from .._compat._sklearn import StrOptions, validate_params

_LOADER_CONSTRAINTS = {
    "subset": [StrOptions({"train", "test", "all"})],
    "return_X_y": ["boolean"],
}


def _descr(name):
    """The description of data set ``name``: the text of ``descr/<name>.rst``."""
    path = resources.files("skmultilabelnn.datasets") / "descr" / f"{name}.rst"
    return path.read_text(encoding="utf-8")


def _read_dense(archive, parts):
    """The dense feature matrices of ``parts``, stacked in order."""
    return np.concatenate([archive[f"X_{part}"] for part in parts])


def _read_sparse(archive, parts):
    """The CSR feature matrices of ``parts``, rebuilt and stacked in order.

    Each part is stored as ``X_<part>_data``, ``X_<part>_indices``,
    ``X_<part>_indptr`` and ``X_<part>_shape``.
    """
    blocks = [
        sp.csr_matrix(
            (
                archive[f"X_{part}_data"],
                archive[f"X_{part}_indices"],
                archive[f"X_{part}_indptr"],
            ),
            shape=tuple(int(n) for n in archive[f"X_{part}_shape"]),
        )
        for part in parts
    ]
    return sp.vstack(blocks, format="csr")


def _load(name, subset, return_X_y, *, sparse=False):
    """Read ``data/<name>.npz`` from the package and select the subset.

    With ``sparse=True`` the features are stored as CSR parts and returned as a
    CSR matrix. An archive without ``label_names`` gets generated names
    ``label_0``, ``label_1``, ... The Bunch's ``DESCR`` is ``descr/<name>.rst``.
    """
    parts = ("train", "test") if subset == "all" else (subset,)
    read_features = _read_sparse if sparse else _read_dense
    path = resources.files("skmultilabelnn.datasets") / "data" / f"{name}.npz"
    # Through open() rather than a file name, so a zipped install works too.
    with path.open("rb") as file, np.load(file, allow_pickle=False) as archive:
        # np.load reads fresh arrays, so callers never share memory between calls.
        data = read_features(archive, parts)
        target = np.concatenate([archive[f"Y_{part}"] for part in parts])
        if "label_names" in archive.files:
            target_names = archive["label_names"].astype(str)
        else:
            target_names = np.array([f"label_{j}" for j in range(target.shape[1])])
    data = data.astype(np.float32, copy=False)
    # int64, as make_multilabel_classification gives: scikit-learn 1.9 casts the
    # column indices of an integer indicator y to its dtype (label_binarize), so
    # a uint8 y of more than 256 labels trains OneVsRestClassifier and
    # MLPClassifier on shuffled columns
    target = target.astype(np.int64, copy=False)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=target_names,
        feature_names=None,
        DESCR=_descr(name),
    )


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_yeast(*, subset="train", return_X_y=False):
    """Load the yeast gene-function multilabel dataset (bundled, offline).

    ==================  ====================
    Samples (train)     1500
    Samples (test)      917
    Features            103, real
    Labels              14
    Label cardinality   4.24 (all rows)
    ==================  ====================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the standard (Mulan) split to load. ``"all"`` gives the
        training rows followed by the test rows.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_samples, 103), dtype float32
            The features.
        target : ndarray of shape (n_samples, 14), dtype int64
            The 0/1 label indicator matrix.
        target_names : ndarray of shape (14,), dtype str
            The label names, one per column of ``target``.
        feature_names : None
            The data carry no feature names.
        DESCR : str
            Description of the dataset, with its citations and published
            reference scores.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    See Also
    --------
    load_scene : The scene image multilabel dataset.

    Notes
    -----
    Published reference numbers on this split: a one-vs-rest SVM has Hamming
    loss 0.200 and Jaccard accuracy 0.502 [3]_.

    References
    ----------
    .. [1] A. Elisseeff and J. Weston, "A kernel method for multi-labelled
       classification", NIPS 2001.
    .. [2] G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek and I. Vlahavas,
       "Mulan: A Java library for multi-label learning", JMLR 12, 2011.
    .. [3] G. Tsoumakas and I. Katakis, "Multi-label classification: an
       overview", Int. J. Data Warehousing and Mining 3(3), 2007.

    Examples
    --------
    >>> from skmultilabelnn.datasets import load_yeast
    >>> yeast = load_yeast()
    >>> yeast.data.shape, yeast.target.shape
    ((1500, 103), (1500, 14))
    >>> X_test, Y_test = load_yeast(subset="test", return_X_y=True)
    >>> X_test.shape
    (917, 103)
    """
    return _load("yeast", subset, return_X_y)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_scene(*, subset="train", return_X_y=False):
    """Load the scene image multilabel dataset (bundled, offline).

    ==================  ====================
    Samples (train)     1211
    Samples (test)      1196
    Features            294, real in [0, 1]
    Labels              6
    Label cardinality   1.07 (all rows)
    ==================  ====================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the standard (Mulan) split to load. ``"all"`` gives the
        training rows followed by the test rows.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_samples, 294), dtype float32
            The features.
        target : ndarray of shape (n_samples, 6), dtype int64
            The 0/1 label indicator matrix.
        target_names : ndarray of shape (6,), dtype str
            The label names, one per column of ``target``: Beach, Sunset,
            FallFoliage, Field, Mountain, Urban.
        feature_names : None
            The data carry no feature names.
        DESCR : str
            Description of the dataset, with its citations and published
            reference scores.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    See Also
    --------
    load_yeast : The yeast gene-function multilabel dataset.
    make_multilabel_shapes : Synthetic multilabel images.

    Notes
    -----
    Published reference numbers on this split: a one-vs-rest SVM has Hamming
    loss 0.114 and Jaccard accuracy 0.571 [3]_.

    References
    ----------
    .. [1] M. R. Boutell, J. Luo, X. Shen and C. M. Brown, "Learning multi-label
       scene classification", Pattern Recognition 37(9), 2004.
    .. [2] G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek and I. Vlahavas,
       "Mulan: A Java library for multi-label learning", JMLR 12, 2011.
    .. [3] G. Tsoumakas and I. Katakis, "Multi-label classification: an
       overview", Int. J. Data Warehousing and Mining 3(3), 2007.

    Examples
    --------
    >>> from skmultilabelnn.datasets import load_scene
    >>> scene = load_scene(subset="all")
    >>> scene.data.shape, scene.target.shape
    ((2407, 294), (2407, 6))
    >>> scene.target_names[:2].tolist()
    ['Beach', 'Sunset']
    """
    return _load("scene", subset, return_X_y)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_enron(*, subset="train", return_X_y=False):
    """Load the Enron e-mail multilabel dataset (bundled, offline).

    ==================  ====================
    Samples (train)     1123
    Samples (test)      579
    Features            1001, binary, sparse
    Labels              53
    Label cardinality   3.38 (all rows)
    ==================  ====================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the fixed split (a random permutation, seed 0, with the
        sizes of the Mulan split) to load. ``"all"`` gives the training rows
        followed by the test rows.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : scipy.sparse.csr_matrix of shape (n_samples, 1001), dtype float32
            The binary bag-of-words features (about 8.4% non-zero).
        target : ndarray of shape (n_samples, 53), dtype int64
            The 0/1 label indicator matrix.
        target_names : ndarray of shape (53,), dtype str
            Generated label names ``label_0`` ... ``label_52``: the data file
            carries no label names.
        feature_names : None
            The data carry no feature names.
        DESCR : str
            Description of the dataset, with its citations.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    See Also
    --------
    load_delicious : The del.icio.us multilabel text dataset.

    Notes
    -----
    The split is not the Mulan split itself, so published scores on the Mulan
    split are not directly comparable. Label 45 never occurs in the training
    rows, labels 47 and 52 never in the test rows.

    References
    ----------
    .. [1] B. Klimt and Y. Yang, "The Enron corpus: a new dataset for email
       classification research", ECML 2004.
    .. [2] Multilabel version by the UC Berkeley Enron e-mail analysis project,
       as distributed by Mulan / MEKA (J. Read et al.).

    Examples
    --------
    >>> from skmultilabelnn.datasets import load_enron
    >>> enron = load_enron()
    >>> enron.data.shape, enron.target.shape
    ((1123, 1001), (1123, 53))
    >>> enron.data.format, enron.data.dtype
    ('csr', dtype('float32'))
    >>> enron.target_names[:2].tolist()
    ['label_0', 'label_1']
    """
    return _load("enron", subset, return_X_y, sparse=True)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_delicious(*, subset="train", return_X_y=False):
    """Load the del.icio.us web-page multilabel dataset (bundled, offline).

    ==================  ====================
    Samples (train)     12920
    Samples (test)      3185
    Features            500, binary, sparse
    Labels              983
    Label cardinality   19.02 (all rows)
    ==================  ====================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the fixed split (a random permutation, seed 0, with the
        sizes of the Mulan split) to load. ``"all"`` gives the training rows
        followed by the test rows.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : scipy.sparse.csr_matrix of shape (n_samples, 500), dtype float32
            The binary bag-of-words features (about 3.7% non-zero).
        target : ndarray of shape (n_samples, 983), dtype int64
            The 0/1 label indicator matrix.
        target_names : ndarray of shape (983,), dtype str
            Generated label names ``label_0`` ... ``label_982``: the data file
            carries no label names.
        feature_names : None
            The data carry no feature names.
        DESCR : str
            Description of the dataset, with its citations.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    See Also
    --------
    load_enron : The Enron e-mail multilabel text dataset.

    Notes
    -----
    The split is not the Mulan split itself, so published scores on the Mulan
    split are not directly comparable. A few rows have no label: 10 training
    rows and 4 test rows.

    References
    ----------
    .. [1] G. Tsoumakas, I. Katakis and I. Vlahavas, "Effective and efficient
       multilabel classification in domains with large number of labels",
       ECML/PKDD 2008 Workshop on Mining Multidimensional Data (MMD'08).

    Examples
    --------
    >>> from skmultilabelnn.datasets import load_delicious
    >>> X, Y = load_delicious(subset="test", return_X_y=True)
    >>> X.shape, Y.shape
    ((3185, 500), (3185, 983))
    >>> round(float(Y.sum(axis=1).mean()), 2)  # tags per page
    19.06
    """
    return _load("delicious", subset, return_X_y, sparse=True)

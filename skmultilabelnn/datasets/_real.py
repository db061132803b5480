"""Loaders for the bundled yeast and scene multilabel benchmark sets."""

from importlib import resources

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

# Cited in both descriptions; indented to continue a list item.
_MULAN = """\
- As distributed by Mulan: G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek
  and I. Vlahavas, "Mulan: A Java library for multi-label learning",
  JMLR 12, 2011."""
_TSOUMAKAS_KATAKIS = """\
- Reference numbers: G. Tsoumakas and I. Katakis, "Multi-label
  classification: an overview", Int. J. Data Warehousing and Mining 3(3),
  2007, Table 8."""

_YEAST_DESCR = f"""\
Yeast gene functional classes
-----------------------------

Each sample is a gene of the yeast Saccharomyces cerevisiae, described by 103
numeric features (micro-array expression levels and phylogenetic profile);
the 14 labels are functional classes (Class1 ... Class14), and a gene usually
has several of them.

================================  ====================
Samples (train / test / all)      1500 / 917 / 2417
Features                          103, real
Labels                            14
Label cardinality (train / all)   4.23 / 4.24
================================  ====================

The standard (Mulan) split is used: ``subset="train"`` gives the 1500 training
rows, ``subset="test"`` the 917 test rows, ``subset="all"`` the training rows
followed by the test rows.

Published reference numbers on this split, for one-vs-rest (binary
relevance) with an SVM per label: Hamming loss 0.200, Jaccard accuracy 0.502
(Tsoumakas and Katakis, 2007).

References
----------
- A. Elisseeff and J. Weston, "A kernel method for multi-labelled
  classification", NIPS 2001.
{_MULAN}
{_TSOUMAKAS_KATAKIS}
"""

_SCENE_DESCR = f"""\
Natural scene images
--------------------

Each sample is a photograph described by 294 numeric features (colour
moments in the LUV space over a 7x7 grid of blocks); the 6 labels are the
scene types Beach, Sunset, FallFoliage, Field, Mountain and Urban, and some
images have more than one.

================================  ====================
Samples (train / test / all)      1211 / 1196 / 2407
Features                          294, real in [0, 1]
Labels                            6
Label cardinality (train / all)   1.06 / 1.07
================================  ====================

The standard (Mulan) split is used: ``subset="train"`` gives the 1211 training
rows, ``subset="test"`` the 1196 test rows, ``subset="all"`` the training rows
followed by the test rows.

Published reference numbers on this split, for one-vs-rest (binary
relevance) with an SVM per label: Hamming loss 0.114, Jaccard accuracy 0.571
(Tsoumakas and Katakis, 2007).

References
----------
- M. R. Boutell, J. Luo, X. Shen and C. M. Brown, "Learning multi-label scene
  classification", Pattern Recognition 37(9), 2004.
{_MULAN}
{_TSOUMAKAS_KATAKIS}
"""

_LOADER_CONSTRAINTS = {
    "subset": [StrOptions({"train", "test", "all"})],
    "return_X_y": ["boolean"],
}


def _load(name, descr, subset, return_X_y):
    """Read ``data/<name>.npz`` from the package and select the subset."""
    parts = ("train", "test") if subset == "all" else (subset,)
    path = resources.files("skmultilabelnn.datasets") / "data" / f"{name}.npz"
    # Through open() rather than a file name, so a zipped install works too.
    with path.open("rb") as file, np.load(file, allow_pickle=False) as archive:
        # np.load reads fresh arrays, so callers never share memory between calls.
        data = np.concatenate([archive[f"X_{part}"] for part in parts])
        target = np.concatenate([archive[f"Y_{part}"] for part in parts])
        target_names = archive["label_names"].astype(str)
    data = data.astype(np.float32, copy=False)
    target = target.astype(np.uint8, copy=False)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=target_names,
        feature_names=None,
        DESCR=descr,
    )


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_yeast(*, subset="train", return_X_y=False):
    """Load the yeast gene-function multilabel dataset (bundled, offline).

    ==================  ===================
    Samples (train)     1500
    Samples (test)      917
    Features            103, real
    Labels              14
    Label cardinality   4.24 (all rows)
    ==================  ===================

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
        target : ndarray of shape (n_samples, 14), dtype uint8
            The 0/1 label indicator matrix.
        target_names : ndarray of shape (14,), dtype str
            The label names, one per column of ``target``.
        feature_names : None
            The data carry no feature names.
        DESCR : str
            Description of the dataset, with its citations and published
            reference scores.

    (data, target) : tuple if ``return_X_y`` is True
        The two arrays described above.

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
    return _load("yeast", _YEAST_DESCR, subset, return_X_y)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
def load_scene(*, subset="train", return_X_y=False):
    """Load the scene image multilabel dataset (bundled, offline).

    ==================  ===================
    Samples (train)     1211
    Samples (test)      1196
    Features            294, real in [0, 1]
    Labels              6
    Label cardinality   1.07 (all rows)
    ==================  ===================

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
        target : ndarray of shape (n_samples, 6), dtype uint8
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
        The two arrays described above.

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
    .. [1] M. R. Boutell, J. Luo, X. Shen and C. M. Brown, "Learning
       multi-label scene classification", Pattern Recognition 37(9), 2004.
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
    return _load("scene", _SCENE_DESCR, subset, return_X_y)

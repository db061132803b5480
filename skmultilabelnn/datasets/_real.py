"""Loaders for the bundled multilabel benchmark sets.

yeast and scene are dense; enron and delicious are sparse bag-of-words text
sets. All four are read by the one private reader :func:`_load`, and their
docstrings are built from one template, :data:`_LOADER_DOC`.
"""

from importlib import resources
from textwrap import fill
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

# Prose built from templates below is wrapped to this many columns.
_WIDTH = 76


def _wrap(text, indent=""):
    """``text`` as one paragraph wrapped to ``_WIDTH`` columns, all indented."""
    return fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _cite(references, numbered):
    """``references`` as a bulleted list, or as numbered numpydoc citations."""
    return "\n".join(
        fill(
            ref,
            _WIDTH,
            initial_indent=f".. [{i}] " if numbered else "- ",
            subsequent_indent="   " if numbered else "  ",
        )
        for i, ref in enumerate(references, start=1)
    )


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


class _Sizes(NamedTuple):
    """The sizes of a dataset, as its docstring (and DESCR) give them."""

    n_train: int
    n_test: int
    n_features: int
    n_labels: int
    cardinality_all: str  # mean number of labels per row, over all rows
    # Given for the sparse sets only:
    density: str | None = None  # of the features: the share of non-zero entries
    cardinality_train: str | None = None  # labels per row, over training rows


# The numpydoc docstring of every loader.
_LOADER_DOC = """\
Load the {title} multilabel dataset (bundled, offline).

==================  ====================
Samples (train)     {n_train}
Samples (test)      {n_test}
Features            {features}
Labels              {n_labels}
Label cardinality   {cardinality_all} (all rows)
==================  ====================

Parameters
----------
subset : {{"train", "test", "all"}}, default="train"
{subset_doc}

return_X_y : bool, default=False
    If True, return ``(data, target)`` instead of a Bunch.

Returns
-------
data : :class:`~sklearn.utils.Bunch`
    Dictionary-like object with the following attributes.

    data : {data_type} of shape (n_samples, {n_features}), dtype float32
{data_doc}
    target : ndarray of shape (n_samples, {n_labels}), dtype uint8
        The 0/1 label indicator matrix.
    target_names : ndarray of shape ({n_labels},), dtype str
{names_doc}
    feature_names : None
        The data carry no feature names.
    DESCR : str
{descr_doc}

(data, target) : tuple if ``return_X_y`` is True
    The ``data`` and ``target`` described above.

See Also
--------
{see_also}

Notes
-----
{notes}

References
----------
{references}

Examples
--------
{examples}
"""


def _loader_doc(
    sizes,
    *,
    split,
    data_doc,
    names_doc,
    descr_doc,
    see_also,
    notes,
    references,
    examples,
    sparse=False,
    **facts,
):
    """Decorator: give a loader the docstring ``_LOADER_DOC`` filled in.

    ``sizes`` is a :class:`_Sizes`; the other arguments fill the template.
    ``split`` (which split the loader reads), ``data_doc``, ``names_doc``,
    ``descr_doc`` and ``notes`` are prose, wrapped here; ``see_also`` is a
    list of ``"name : description"`` lines and ``references`` a list of
    citations.
    """
    doc = _LOADER_DOC.format(
        subset_doc=_wrap(
            f'Which part of {split} to load. ``"all"`` gives the training rows'
            " followed by the test rows.",
            indent=" " * 4,
        ),
        data_type="scipy.sparse.csr_matrix" if sparse else "ndarray",
        data_doc=_wrap(data_doc, indent=" " * 8),
        names_doc=_wrap(names_doc, indent=" " * 8),
        descr_doc=_wrap(descr_doc, indent=" " * 8),
        see_also="\n".join(see_also),
        notes=_wrap(notes),
        references=_cite(references, numbered=True),
        examples=examples,
        **sizes._asdict(),
        **facts,
    )

    def decorate(func):
        func.__doc__ = doc
        return func

    return decorate


# Shared by the docstrings of the two dense sets.
_DENSE_REFERENCES = [
    'G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek and I. Vlahavas, "Mulan: A'
    ' Java library for multi-label learning", JMLR 12, 2011.',
    'G. Tsoumakas and I. Katakis, "Multi-label classification: an overview",'
    " Int. J. Data Warehousing and Mining 3(3), 2007.",
]
_DENSE_DOC = dict(
    split="the standard (Mulan) split",
    data_doc="The features.",
    descr_doc="Description of the dataset, with its citations and published"
    " reference scores.",
)


# The sparse text sets: DESCR template and the facts of each set, from which
# _sparse_texts builds both DESCR and the loader's docstring.
_SPARSE_DESCR = """\
{heading}
{underline}

{about}

================================  =====================
Samples (train / test / all)      {n_train} / {n_test} / {n_all}
Features                          {n_features}, binary (sparse)
Feature density                   {density}
Labels                            {n_labels}
Label cardinality (train / all)   {cardinality_train} / {cardinality_all}
================================  =====================

{split}

References
----------
{references}
"""

# Their split is a random one, not Mulan's; said in DESCR and in Notes.
_NOT_MULAN = (
    "not the Mulan split itself, so published scores on the Mulan split are not"
    " directly comparable."
)


def _sparse_texts(sizes, *, heading, about, quirks, references):
    """DESCR and the :func:`_loader_doc` arguments of a sparse text set.

    ``about`` and ``quirks`` are prose, wrapped here; ``references`` is a list
    of citations.
    """
    last_label = sizes.n_labels - 1
    about += (
        " The features are returned as a sparse CSR matrix. The file carries no"
        f" label names: the labels are called label_0 ... label_{last_label}."
    )
    split = (
        f'``subset="train"`` gives the {sizes.n_train} training rows,'
        f' ``subset="test"`` the {sizes.n_test} test rows, ``subset="all"`` the'
        " training rows followed by the test rows. The split is a fixed random"
        " permutation of the rows (seed 0) with the sizes of the Mulan split,"
        f" {_NOT_MULAN} {quirks}"
    )
    descr = _SPARSE_DESCR.format(
        heading=heading,
        underline="-" * len(heading),
        about=_wrap(about),
        n_all=sizes.n_train + sizes.n_test,
        split=_wrap(split),
        references=_cite(references, numbered=False),
        **sizes._asdict(),
    )
    doc = dict(
        sizes=sizes,
        sparse=True,
        features=f"{sizes.n_features}, binary, sparse",
        split="the fixed split (a random permutation, seed 0, with the sizes of"
        " the Mulan split)",
        data_doc=f"The binary bag-of-words features (about {sizes.density} non-zero).",
        names_doc=f"Generated label names ``label_0`` ... ``label_{last_label}``:"
        " the data file carries no label names.",
        descr_doc="Description of the dataset, with its citations.",
        notes=f"The split is {_NOT_MULAN} {quirks}",
        references=references,
    )
    return descr, doc


_ENRON_DESCR, _ENRON_DOC = _sparse_texts(
    _Sizes(1123, 579, 1001, 53, "3.38", density="8.4%", cardinality_train="3.36"),
    heading="Enron e-mails",
    about="Each sample is an e-mail from the Enron corpus, described by 1001 binary"
    " bag-of-words features (whether a word occurs); the 53 labels are the folder"
    " categories of the multilabel version, and an e-mail often has several.",
    quirks="Label 45 never occurs in the training rows, labels 47 and 52 never"
    " in the test rows.",
    references=[
        'B. Klimt and Y. Yang, "The Enron corpus: a new dataset for email'
        ' classification research", ECML 2004.',
        "Multilabel version by the UC Berkeley Enron e-mail analysis project, as"
        " distributed by Mulan / MEKA (J. Read et al.).",
    ],
)

_DELICIOUS_DESCR, _DELICIOUS_DOC = _sparse_texts(
    _Sizes(12920, 3185, 500, 983, "19.02", density="3.7%", cardinality_train="19.01"),
    heading="del.icio.us web pages",
    about="Each sample is a web page, described by 500 binary bag-of-words"
    " features (whether a word occurs); the 983 labels are the del.icio.us tags"
    " given to it, about 19 per page.",
    quirks="A few rows have no label: 10 training rows and 4 test rows.",
    references=[
        'G. Tsoumakas, I. Katakis and I. Vlahavas, "Effective and efficient'
        ' multilabel classification in domains with large number of labels",'
        " ECML/PKDD 2008 Workshop on Mining Multidimensional Data (MMD'08).",
    ],
)

_LOADER_CONSTRAINTS = {
    "subset": [StrOptions({"train", "test", "all"})],
    "return_X_y": ["boolean"],
}


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


def _load(name, descr, subset, return_X_y, *, sparse=False):
    """Read ``data/<name>.npz`` from the package and select the subset.

    With ``sparse=True`` the features are stored as CSR parts and returned as a
    CSR matrix. An archive without ``label_names`` gets generated names
    ``label_0``, ``label_1``, ...
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
@_loader_doc(
    _Sizes(1500, 917, 103, 14, "4.24"),
    title="yeast gene-function",
    features="103, real",
    names_doc="The label names, one per column of ``target``.",
    see_also=["load_scene : The scene image multilabel dataset."],
    notes="Published reference numbers on this split: a one-vs-rest SVM has"
    " Hamming loss 0.200 and Jaccard accuracy 0.502 [3]_.",
    references=[
        'A. Elisseeff and J. Weston, "A kernel method for multi-labelled'
        ' classification", NIPS 2001.',
        *_DENSE_REFERENCES,
    ],
    examples="""\
>>> from skmultilabelnn.datasets import load_yeast
>>> yeast = load_yeast()
>>> yeast.data.shape, yeast.target.shape
((1500, 103), (1500, 14))
>>> X_test, Y_test = load_yeast(subset="test", return_X_y=True)
>>> X_test.shape
(917, 103)""",
    **_DENSE_DOC,
)
def load_yeast(*, subset="train", return_X_y=False):
    return _load("yeast", _YEAST_DESCR, subset, return_X_y)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
@_loader_doc(
    _Sizes(1211, 1196, 294, 6, "1.07"),
    title="scene image",
    features="294, real in [0, 1]",
    names_doc="The label names, one per column of ``target``: Beach, Sunset,"
    " FallFoliage, Field, Mountain, Urban.",
    see_also=[
        "load_yeast : The yeast gene-function multilabel dataset.",
        "make_multilabel_shapes : Synthetic multilabel images.",
    ],
    notes="Published reference numbers on this split: a one-vs-rest SVM has"
    " Hamming loss 0.114 and Jaccard accuracy 0.571 [3]_.",
    references=[
        'M. R. Boutell, J. Luo, X. Shen and C. M. Brown, "Learning multi-label'
        ' scene classification", Pattern Recognition 37(9), 2004.',
        *_DENSE_REFERENCES,
    ],
    examples="""\
>>> from skmultilabelnn.datasets import load_scene
>>> scene = load_scene(subset="all")
>>> scene.data.shape, scene.target.shape
((2407, 294), (2407, 6))
>>> scene.target_names[:2].tolist()
['Beach', 'Sunset']""",
    **_DENSE_DOC,
)
def load_scene(*, subset="train", return_X_y=False):
    return _load("scene", _SCENE_DESCR, subset, return_X_y)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
@_loader_doc(
    title="Enron e-mail",
    see_also=["load_delicious : The del.icio.us multilabel text dataset."],
    examples="""\
>>> from skmultilabelnn.datasets import load_enron
>>> enron = load_enron()
>>> enron.data.shape, enron.target.shape
((1123, 1001), (1123, 53))
>>> enron.data.format, enron.data.dtype
('csr', dtype('float32'))
>>> enron.target_names[:2].tolist()
['label_0', 'label_1']""",
    **_ENRON_DOC,
)
def load_enron(*, subset="train", return_X_y=False):
    return _load("enron", _ENRON_DESCR, subset, return_X_y, sparse=True)


@validate_params(_LOADER_CONSTRAINTS, prefer_skip_nested_validation=True)
@_loader_doc(
    title="del.icio.us web-page",
    see_also=["load_enron : The Enron e-mail multilabel text dataset."],
    examples="""\
>>> from skmultilabelnn.datasets import load_delicious
>>> X, Y = load_delicious(subset="test", return_X_y=True)
>>> X.shape, Y.shape
((3185, 500), (3185, 983))
>>> round(float(Y.sum(axis=1).mean()), 2)  # tags per page
19.06""",
    **_DELICIOUS_DOC,
)
def load_delicious(*, subset="train", return_X_y=False):
    return _load("delicious", _DELICIOUS_DESCR, subset, return_X_y, sparse=True)

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils import Bunch

from skmultilabelnn._compat._sklearn import InvalidParameterError
from skmultilabelnn.datasets import (
    load_delicious,
    load_enron,
    load_scene,
    load_yeast,
    make_multilabel_shapes,
)

ALL_LOADERS = [load_yeast, load_scene, load_enron, load_delicious]

# loader, n_train, n_test, n_features, n_labels, an author its DESCR must cite
REAL_DATASETS = [
    pytest.param(load_yeast, 1500, 917, 103, 14, "Elisseeff", id="yeast"),
    pytest.param(load_scene, 1211, 1196, 294, 6, "Boutell", id="scene"),
]


@pytest.mark.parametrize(
    "loader, n_train, n_test, n_features, n_labels, author", REAL_DATASETS
)
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_load_real_shapes_and_dtypes(
    loader, n_train, n_test, n_features, n_labels, author, subset
):
    """Check the shape, dtype and values of each subset of a bundled dataset."""
    n_samples = {"train": n_train, "test": n_test, "all": n_train + n_test}[subset]
    bunch = loader(subset=subset)
    assert isinstance(bunch, Bunch)
    assert bunch.data.shape == (n_samples, n_features)
    assert bunch.data.dtype == np.float32
    assert np.isfinite(bunch.data).all()
    assert bunch.target.shape == (n_samples, n_labels)
    assert bunch.target.dtype == np.int64
    assert set(np.unique(bunch.target)) == {0, 1}
    # Every label occurs, and this is multilabel data: some rows have several.
    assert (bunch.target.sum(axis=0) > 0).all()
    assert (bunch.target.sum(axis=1) > 1).any()
    assert bunch.target_names.shape == (n_labels,)
    assert all(isinstance(name, str) for name in bunch.target_names)
    assert len(set(bunch.target_names)) == n_labels
    assert bunch.feature_names is None


def test_load_real_label_names():
    """Check the label names of the bundled datasets."""
    assert load_yeast().target_names.tolist() == [f"Class{i}" for i in range(1, 15)]
    assert load_scene().target_names.tolist() == [
        "Beach",
        "Sunset",
        "FallFoliage",
        "Field",
        "Mountain",
        "Urban",
    ]


@pytest.mark.parametrize(
    "loader, n_train, n_test, n_features, n_labels, author", REAL_DATASETS
)
def test_load_real_all_is_train_then_test(
    loader, n_train, n_test, n_features, n_labels, author
):
    """Check that subset="all" is the train rows followed by the test rows."""
    train, test, every = (loader(subset=s) for s in ("train", "test", "all"))
    np.testing.assert_array_equal(every.data, np.vstack([train.data, test.data]))
    np.testing.assert_array_equal(every.target, np.vstack([train.target, test.target]))
    np.testing.assert_array_equal(every.target_names, train.target_names)
    # The two parts differ, so the order above is really checked.
    assert not np.array_equal(train.data[:n_test], test.data)


@pytest.mark.parametrize(
    "loader, n_train, n_test, n_features, n_labels, author", REAL_DATASETS
)
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_load_real_return_X_y(
    loader, n_train, n_test, n_features, n_labels, author, subset
):
    """Check that return_X_y=True returns the Bunch's data and target."""
    bunch = loader(subset=subset)
    result = loader(subset=subset, return_X_y=True)
    assert isinstance(result, tuple) and len(result) == 2
    X, Y = result
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(Y, bunch.target)
    assert X.dtype == np.float32 and Y.dtype == np.int64


@pytest.mark.parametrize(
    "loader, author, sizes, reference_scores",
    [
        (load_yeast, "Elisseeff", "1500 / 917", ("0.200", "0.502")),
        (load_scene, "Boutell", "1211 / 1196", ("0.114", "0.571")),
    ],
)
def test_load_real_descr(loader, author, sizes, reference_scores):
    """Check that DESCR gives the size, the citations and the reference scores."""
    descr = loader().DESCR
    assert isinstance(descr, str)
    assert author in descr
    assert "Tsoumakas" in descr  # Mulan, and the reference numbers
    assert sizes in descr
    assert all(score in descr for score in reference_scores)
    # The docstring cites the sources too.
    assert author in loader.__doc__ and "References" in loader.__doc__


@pytest.mark.parametrize(
    "loader, n_train, n_test, n_features, n_labels, author", REAL_DATASETS
)
def test_load_real_returns_fresh_arrays(
    loader, n_train, n_test, n_features, n_labels, author
):
    """Check that changing a returned array does not change later results."""
    first = loader()
    expected = first.data[0, 0]
    first.data[:] = -123.0
    first.target[:] = 7
    first.target_names[:] = "x"
    second = loader()
    assert second.data[0, 0] == expected
    assert set(np.unique(second.target)) == {0, 1}
    assert "x" not in second.target_names


# loader, n_train, n_test, n_features, n_labels, X density (train),
# label cardinality (train)
SPARSE_DATASETS = [
    pytest.param(load_enron, 1123, 579, 1001, 53, 0.084, 3.36, id="enron"),
    pytest.param(load_delicious, 12920, 3185, 500, 983, 0.037, 19.01, id="delicious"),
]
SPARSE_ARGS = "loader, n_train, n_test, n_features, n_labels, density, cardinality"


def _assert_csr_equal(A, B):
    """Check that two CSR matrices are the same, structure and values."""
    assert A.shape == B.shape
    np.testing.assert_array_equal(A.indptr, B.indptr)
    np.testing.assert_array_equal(A.indices, B.indices)
    np.testing.assert_array_equal(A.data, B.data)


@pytest.mark.parametrize(SPARSE_ARGS, SPARSE_DATASETS)
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_load_sparse_shapes_and_dtypes(
    loader, n_train, n_test, n_features, n_labels, density, cardinality, subset
):
    """Check the type, shape, dtype and values of each subset of a sparse set."""
    n_samples = {"train": n_train, "test": n_test, "all": n_train + n_test}[subset]
    bunch = loader(subset=subset)
    assert isinstance(bunch, Bunch)
    X = bunch.data
    assert isinstance(X, sp.csr_matrix) and X.format == "csr"
    assert X.shape == (n_samples, n_features)
    assert X.dtype == np.float32
    assert X.indices.dtype == np.int32 and X.indptr.dtype == np.int32
    assert X.has_canonical_format
    assert X.nnz > 0
    np.testing.assert_array_equal(X.data, 1)  # binary word features
    # Density roughly as documented (8.4% and 3.7% on the training rows).
    assert X.nnz / np.prod(X.shape) == pytest.approx(density, abs=0.002)
    Y = bunch.target
    assert isinstance(Y, np.ndarray)
    assert Y.shape == (n_samples, n_labels)
    assert Y.dtype == np.int64
    assert set(np.unique(Y)) == {0, 1}
    assert (Y.sum(axis=1) > 1).any()
    # A label or two may miss from one part, but not from both.
    assert (Y.sum(axis=0) > 0).sum() >= n_labels - 2
    if subset == "all":
        assert (Y.sum(axis=0) > 0).all()
    # The files carry no label names: generated ones stand in.
    assert bunch.target_names.shape == (n_labels,)
    assert bunch.target_names.tolist() == [f"label_{j}" for j in range(n_labels)]
    assert bunch.feature_names is None


@pytest.mark.parametrize(SPARSE_ARGS, SPARSE_DATASETS)
def test_load_sparse_density_and_cardinality(
    loader, n_train, n_test, n_features, n_labels, density, cardinality
):
    """Check the training rows' X density and label cardinality as documented."""
    X, Y = loader(return_X_y=True)
    assert round(X.nnz / np.prod(X.shape), 3) == density
    assert round(float(Y.sum(axis=1).mean()), 2) == cardinality


@pytest.mark.parametrize(SPARSE_ARGS, SPARSE_DATASETS)
def test_load_sparse_all_is_train_then_test(
    loader, n_train, n_test, n_features, n_labels, density, cardinality
):
    """Check that subset="all" is the train rows stacked on the test rows."""
    train, test, every = (loader(subset=s) for s in ("train", "test", "all"))
    assert isinstance(every.data, sp.csr_matrix)
    _assert_csr_equal(every.data, sp.vstack([train.data, test.data], format="csr"))
    np.testing.assert_array_equal(every.target, np.vstack([train.target, test.target]))
    np.testing.assert_array_equal(every.target_names, train.target_names)
    # The two parts differ, so the order above is really checked.
    assert (train.data[:n_test] != test.data).nnz > 0


@pytest.mark.parametrize(SPARSE_ARGS, SPARSE_DATASETS)
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_load_sparse_return_X_y(
    loader, n_train, n_test, n_features, n_labels, density, cardinality, subset
):
    """Check that return_X_y=True returns the Bunch's sparse data and target."""
    bunch = loader(subset=subset)
    result = loader(subset=subset, return_X_y=True)
    assert isinstance(result, tuple) and len(result) == 2
    X, Y = result
    assert isinstance(X, sp.csr_matrix) and X.dtype == np.float32
    _assert_csr_equal(X, bunch.data)
    np.testing.assert_array_equal(Y, bunch.target)
    assert Y.dtype == np.int64


@pytest.mark.parametrize(
    "loader, sizes, citations",
    [
        (
            load_enron,
            "1123 / 579",
            ["Klimt", "Yang", "ECML 2004", "Berkeley", "Mulan / MEKA", "Read"],
        ),
        (
            load_delicious,
            "12920 / 3185",
            ["Tsoumakas", "Katakis", "Vlahavas", "MMD'08"],
        ),
    ],
)
def test_load_sparse_descr(loader, sizes, citations):
    """Check that DESCR and the docstring give the sizes and the citations."""
    descr = loader().DESCR
    assert isinstance(descr, str)
    assert sizes in descr
    assert all(citation in descr for citation in citations)
    assert "random permutation" in descr and "no label" in descr
    # The docstring cites the sources too, says the names are generated and
    # carries a doctest.
    doc = loader.__doc__
    assert all(citation in doc for citation in citations)
    assert "References" in doc and "no label names" in doc
    assert f">>> from skmultilabelnn.datasets import {loader.__name__}" in doc


@pytest.mark.parametrize("loader", [load_enron, load_delicious])
def test_load_sparse_returns_fresh_arrays(loader):
    """Check that changing a returned matrix does not change later results."""
    first = loader()
    nnz = first.data.nnz
    first.data.data[:] = -123.0
    first.data.indices[:] = 0
    first.target[:] = 7
    first.target_names[:] = "x"
    second = loader()
    assert second.data.nnz == nnz
    np.testing.assert_array_equal(second.data.data, 1)
    assert second.data.indices.max() > 0
    assert set(np.unique(second.target)) == {0, 1}
    assert "x" not in second.target_names


@pytest.mark.parametrize("loader", ALL_LOADERS)
@pytest.mark.parametrize("subset", ["validation", "Train", None])
def test_load_real_bad_subset(loader, subset):
    """Check that an unknown subset raises sklearn's error naming it."""
    with pytest.raises(InvalidParameterError, match=f"'subset'.*Got {subset!r}"):
        loader(subset=subset)


@pytest.mark.parametrize("loader", ALL_LOADERS)
def test_load_real_keyword_only(loader):
    """Check that the loaders take keyword arguments only."""
    with pytest.raises(TypeError):
        loader("train")


def test_make_multilabel_shapes_output():
    """Check the shapes, dtypes and value ranges of the generated data."""
    X, Y = make_multilabel_shapes(50, image_size=20, random_state=0)
    assert X.shape == (50, 20, 20, 3)
    assert X.dtype == np.float32
    assert X.min() >= 0 and X.max() <= 1
    assert Y.shape == (50, 4)
    assert Y.dtype == np.int64
    assert set(np.unique(Y)) == {0, 1}


def test_make_multilabel_shapes_names():
    """Check that the label columns follow the order of shapes."""
    X, Y, names = make_multilabel_shapes(
        8, shapes=["cross", "circle"], return_shape_names=True, random_state=0
    )
    assert Y.shape == (8, 2)
    assert isinstance(names, np.ndarray)
    assert names.tolist() == ["cross", "circle"]
    _, _, default_names = make_multilabel_shapes(2, return_shape_names=True)
    assert default_names.tolist() == ["circle", "square", "triangle", "cross"]


def test_make_multilabel_shapes_random_state():
    """Check that a seed fixes the output and different seeds change it."""
    X1, Y1 = make_multilabel_shapes(20, random_state=0)
    X2, Y2 = make_multilabel_shapes(20, random_state=0)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    X3, Y3 = make_multilabel_shapes(20, random_state=np.random.RandomState(0))
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(Y1, Y3)
    X4, Y4 = make_multilabel_shapes(20, random_state=1)
    assert not np.array_equal(X1, X4)
    assert not np.array_equal(Y1, Y4)


def test_make_multilabel_shapes_p_present():
    """Check that p_present=0 draws nothing and p_present=1 draws everything."""
    X, Y = make_multilabel_shapes(30, p_present=0, noise=0, random_state=0)
    assert not Y.any()
    assert X.max() < 0.16  # just the dark background
    # Each image is a plain background colour.
    np.testing.assert_array_equal(X, np.broadcast_to(X[:, :1, :1, :], X.shape))
    X, Y = make_multilabel_shapes(30, p_present=0, random_state=0)
    assert not Y.any()
    assert X.max() < 0.5  # background plus noise: no bright pixel
    _, Y = make_multilabel_shapes(30, p_present=1, random_state=0)
    assert Y.all()
    _, Y = make_multilabel_shapes(2000, p_present=0.25, random_state=0)
    np.testing.assert_allclose(Y.mean(axis=0), 0.25, atol=0.03)


def _bright_pixels(X):
    """Number of pixels of each image whose brightest channel exceeds 0.6."""
    return (X.max(axis=3) > 0.6).sum(axis=(1, 2))


@pytest.mark.parametrize("shape", ["circle", "square", "triangle", "cross"])
def test_make_multilabel_shapes_label_shows(shape):
    """Check that an image shows a shape exactly when its label is 1."""
    X, Y = make_multilabel_shapes(
        100, shapes=[shape], p_present=0.5, noise=0.02, random_state=0
    )
    bright = _bright_pixels(X)
    present = Y[:, 0] == 1
    assert 0 < present.sum() < 100
    # A shape covers at least a few percent of the image; no shape, no bright pixel.
    assert (bright[present] >= 10).all()
    assert (bright[~present] == 0).all()


def test_make_multilabel_shapes_each_label_changes_image():
    """Check that with all shapes, each label still adds bright pixels."""
    X, Y = make_multilabel_shapes(400, noise=0.05, random_state=0)
    bright = _bright_pixels(X)
    for j in range(Y.shape[1]):
        present = Y[:, j] == 1
        assert bright[present].mean() > bright[~present].mean() + 10
    # Every shape drawn is visible: no image with a label set is blank.
    assert (bright[Y.any(axis=1)] > 0).all()


def test_make_multilabel_shapes_no_shape_hidden():
    """Check that no shape drawn is hidden: each shows its own colour.

    Without noise, every pixel of an image is the background colour or the
    colour of one shape; with every shape drawn, an image shows as many bright
    colours as it has shapes.
    """
    X, Y = make_multilabel_shapes(200, p_present=1, noise=0, random_state=0)
    for image in X:
        colours = np.unique(image.reshape(-1, 3), axis=0)
        assert len(colours) == 1 + Y.shape[1]


@pytest.mark.parametrize("shapes", [["circle", "hexagon"], ("star",)])
def test_make_multilabel_shapes_unknown_shape(shapes):
    """Check that an unknown shape name is named in the error, with the choices."""
    with pytest.raises(ValueError, match=r"Unknown shape '(hexagon|star)'.*circle"):
        make_multilabel_shapes(5, shapes=shapes)


@pytest.mark.parametrize(
    "shapes, match",
    [([], "at least one shape"), (["circle", "circle"], "must not repeat")],
)
def test_make_multilabel_shapes_bad_shapes(shapes, match):
    """Check that empty or repeated shape lists are refused."""
    with pytest.raises(ValueError, match=match):
        make_multilabel_shapes(5, shapes=shapes)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"image_size": 7}, "image_size"),
        ({"p_present": 1.5}, "p_present"),
        ({"p_present": -0.1}, "p_present"),
        ({"noise": -0.01}, "noise"),
        ({"shapes": "circle"}, "shapes"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_make_multilabel_shapes_invalid_params(params, name):
    """Check that out-of-range parameters raise sklearn's error naming them."""
    value = next(iter(params.values()))
    with pytest.raises(InvalidParameterError, match=f"'{name}'.*Got {value!r}"):
        make_multilabel_shapes(**params)


def test_import_datasets_does_not_import_keras():
    """Check that the datasets subpackage runs without importing Keras."""
    code = (
        "import sys\n"
        "import skmultilabelnn.datasets as datasets\n"
        "datasets.load_yeast()\n"
        "datasets.load_enron()\n"
        "datasets.make_multilabel_shapes(4, random_state=0)\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in {'keras', 'tensorflow', 'scikeras'})\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_delicious_targets_survive_scikit_learns_label_binarizer():
    """Check that delicious' 983 label columns reach one-vs-rest models as they
    are: scikit-learn 1.9's label_binarize casts the column indices 0..982 of
    an integer indicator y to y's dtype, so a uint8 target would come out
    with its columns shuffled (indices past 255 wrap around)."""
    from sklearn.preprocessing import LabelBinarizer

    Y = load_delicious(subset="test").target
    binarized = LabelBinarizer(sparse_output=True).fit_transform(Y)
    np.testing.assert_array_equal(binarized.toarray(), Y)

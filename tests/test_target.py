import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning

from skmultilabelnn import MultilabelTargetEncoder

Y = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0]])


@pytest.mark.parametrize(
    "container", [np.asarray, sp.csr_matrix, lambda y: y.tolist(), pd.DataFrame]
)
def test_indicator_containers(container):
    """Check that every container of an indicator matrix encodes the same (a
    sparse one as CSR, never densified)."""
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(container(Y))
    assert sp.issparse(encoded) == (container is sp.csr_matrix)
    if sp.issparse(encoded):
        assert encoded.format == "csr"
        encoded = encoded.toarray()
    np.testing.assert_array_equal(encoded, Y)
    assert encoded.dtype == np.float32
    assert encoder.target_type_ == "multilabel-indicator"
    assert encoder.n_outputs_ == 3
    assert encoder.out_activation_ == "sigmoid"


def test_dataframe_columns_become_classes():
    """Check that the column names of a DataFrame y are the label names."""
    encoder = MultilabelTargetEncoder().fit(pd.DataFrame(Y, columns=["a", "b", "c"]))
    np.testing.assert_array_equal(encoder.classes_, ["a", "b", "c"])


def test_one_label_per_row_stays_multilabel():
    """Check that rows with exactly one label are not turned into multiclass."""
    one_hot = np.eye(3, dtype=int)[[0, 1, 2, 1]]
    encoder = MultilabelTargetEncoder()
    np.testing.assert_array_equal(encoder.fit_transform(one_hot), one_hot)
    assert encoder.target_type_ == "multilabel-indicator"
    assert encoder.out_activation_ == "sigmoid"


def test_binary_strings():
    """Check that binary labels get one unit and decode to the original labels."""
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(np.array(["no", "yes", "yes"]))
    np.testing.assert_array_equal(encoded, [[0], [1], [1]])
    assert (encoder.n_outputs_, encoder.out_activation_) == (1, "sigmoid")
    np.testing.assert_array_equal(encoder.inverse_transform([[1], [0]]), ["yes", "no"])


def test_multiclass_one_hot():
    """Check that multiclass labels are one-hot encoded for a softmax output."""
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(["b", "a", "c", "a"])
    np.testing.assert_array_equal(encoded, np.eye(3)[[1, 0, 2, 0]])
    assert (encoder.n_outputs_, encoder.out_activation_) == (3, "softmax")
    decoded = encoder.inverse_transform([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    np.testing.assert_array_equal(decoded, ["c", "a"])


def test_indicator_inverse_keeps_dtype():
    """Check that decoded indicator predictions have the dtype of the fitted y."""
    encoder = MultilabelTargetEncoder().fit(Y.astype(bool))
    decoded = encoder.inverse_transform(np.array([[1, 0, 1]]))
    assert decoded.dtype == bool


def test_column_vector_warns_and_is_1d():
    """Check that a (n, 1) y is treated as 1-D labels, with a warning."""
    with pytest.warns(DataConversionWarning):
        encoder = MultilabelTargetEncoder().fit(np.array([[0], [1], [2]]))
    assert encoder.target_type_ == "multiclass"


def test_classes_parameter_for_partial_batches():
    """Check that given classes are used even when y misses some."""
    encoder = MultilabelTargetEncoder(classes=[0, 1, 2]).fit([0, 1, 1])
    assert encoder.n_outputs_ == 3


@pytest.mark.parametrize(
    "y, message",
    [
        (np.array([[0, 2], [1, 0]]), r"0s and 1s .* got values \[0, 1, 2\]"),
        (np.array([[0, 2, 3], [1, 0, 2]]), "Multiclass-multioutput"),
        (np.array([[0.5, 0.1], [0.2, 0.3]]), "0s and 1s"),
        (np.array([0.5, 1.5, 2.25]), "Unknown label type"),
        (np.array([1, 1, 1]), r"only one class \(1\)"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "Input y contains NaN"),
        (None, "got None"),
        ([("a", "b"), ("c",)], r"label sets \(first row: \('a', 'b'\)\)"),
        ([("a", "b"), ("c", "d")], "label sets.*MultiLabelBinarizer"),
        ([{"a", "b"}, {"c"}], "label sets.*MultiLabelBinarizer"),
        ([[0, 1], [2]], "label sets.*MultiLabelBinarizer"),
        (
            np.array([("a", "b"), ("c",)], dtype=object),
            "label sets.*MultiLabelBinarizer",
        ),
    ],
)
def test_invalid_targets(y, message):
    """Check that unsupported targets raise a clear ValueError."""
    with pytest.raises(ValueError, match=message):
        MultilabelTargetEncoder().fit(y)


def test_transform_rejects_other_labels():
    """Check that labels unseen in fit are reported by name."""
    encoder = MultilabelTargetEncoder().fit(["a", "b"])
    with pytest.raises(ValueError, match=r"labels \['z'\]"):
        encoder.transform(["a", "z"])


def test_transform_rejects_other_width():
    """Check that an indicator of another width is refused."""
    encoder = MultilabelTargetEncoder().fit(Y)
    with pytest.raises(
        ValueError, match="y has 2 label columns but the encoder was fitted on 3"
    ):
        encoder.transform(Y[:, :2])


def test_encoding_does_not_modify_y():
    """Check that the caller's y is left unchanged and not shared."""
    y = Y.astype(np.float32)
    encoded = MultilabelTargetEncoder().fit_transform(y)
    encoded[:] = 7
    np.testing.assert_array_equal(y, Y)


def test_a_sparse_indicator_is_given_back_sparse():
    """Check that the encoder keeps a sparse y sparse and inverse_transform
    returns CSR in its dtype (as OneVsRestClassifier predicts), a dense y dense."""
    y = np.array([[1, 0, 1], [0, 1, 0]], dtype=np.int8)
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(sp.csr_matrix(y))
    assert encoder.sparse_output_ and sp.isspmatrix_csr(encoded)
    decoded = encoder.inverse_transform(encoded.toarray())
    assert sp.isspmatrix_csr(decoded) and decoded.dtype == np.int8
    np.testing.assert_array_equal(decoded.toarray(), y)
    assert not MultilabelTargetEncoder().fit(y).sparse_output_
    assert not MultilabelTargetEncoder().fit(["a", "b"]).sparse_output_

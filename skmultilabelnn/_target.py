"""Encoding targets for a network with one output unit per label or class."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d


class MultilabelTargetEncoder(TransformerMixin, BaseEstimator):
    """Encode y as the float matrix a Keras model with one unit per output learns.

    This is the target encoder of :class:`KerasMultilabelClassifier` (the
    ``target_encoder`` hook of scikeras). Three kinds of target are accepted:

    - a 2-D 0/1 label indicator matrix (NumPy array, SciPy sparse matrix,
      pandas DataFrame or nested lists): one sigmoid unit per label column;
      the encoding is the matrix itself, whatever the number of labels per row;
    - 1-D binary labels: one sigmoid unit for the second class of ``classes_``;
    - 1-D multiclass labels: one softmax unit per class, one-hot encoded.

    Parameters
    ----------
    classes : array-like of shape (n_classes,), default=None
        All classes of a 1-D target, for training on batches that may miss
        some (``partial_fit``). Ignored for a label indicator matrix. By
        default the classes are those found in ``y``.

    dtype : str or numpy dtype, default="float32"
        Dtype of the encoded matrix.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The label names (DataFrame column names, otherwise ``0 .. n_labels-1``)
        for an indicator matrix; the sorted class labels for a 1-D target.

    n_classes_ : int
        Number of labels or classes.

    n_outputs_ : int
        Number of output units the network needs: ``n_labels`` for an
        indicator matrix, 1 for binary and ``n_classes`` for multiclass targets.

    out_activation_ : {"sigmoid", "softmax"}
        Activation of the output layer that matches the encoding.

    target_type_ : {"multilabel-indicator", "binary", "multiclass"}
        Kind of target, as named by :func:`sklearn.utils.multiclass.type_of_target`.

    n_outputs_expected_ : int
        Number of Keras model outputs (always 1), read by scikeras.

    sparse_output_ : bool
        Whether the fitted ``y`` was a sparse indicator matrix, so that
        :meth:`inverse_transform` returns a CSR matrix.

    See Also
    --------
    KerasMultilabelClassifier : The estimator that uses this encoder.

    Examples
    --------
    >>> from skmultilabelnn._target import MultilabelTargetEncoder
    >>> encoder = MultilabelTargetEncoder()
    >>> encoder.fit_transform(["cat", "dog", "cat"])
    array([[0.],
           [1.],
           [0.]], dtype=float32)
    >>> encoder.inverse_transform([[1], [0]])
    array(['dog', 'cat'], dtype='<U3')
    """

    def __init__(self, classes=None, dtype="float32"):
        self.classes = classes
        self.dtype = dtype

    def fit(self, y):
        """Learn the kind of target, its classes and the output layer it needs.

        Parameters
        ----------
        y : array-like, sparse matrix or DataFrame of shape (n_samples,) or \
                (n_samples, n_labels)
            Target labels or label indicator matrix.

        Returns
        -------
        self : object
            The fitted encoder.
        """
        self.fit_transform(y)
        return self

    def fit_transform(self, y):
        """Fit the encoder and return the encoded ``y``.

        Parameters
        ----------
        y : array-like, sparse matrix or DataFrame of shape (n_samples,) or \
                (n_samples, n_labels)
            Target labels or label indicator matrix.

        Returns
        -------
        y_encoded : {ndarray, sparse matrix} of shape (n_samples, n_outputs_)
            A new float array; a new CSR matrix for a sparse indicator y.
        """
        label_names = getattr(y, "columns", None)
        sparse_output = sp.issparse(y)
        y, target_type = _validate_target(y)
        self.target_type_ = target_type
        self.n_outputs_expected_ = 1
        self._y_dtype = y.dtype
        if target_type == "multilabel-indicator":
            if label_names is not None:
                self.classes_ = np.asarray(label_names)
            else:
                self.classes_ = np.arange(y.shape[1])
            self.n_outputs_ = y.shape[1]
            self.out_activation_ = "sigmoid"
            self.sparse_output_ = sparse_output
        else:
            self.sparse_output_ = False
            if self.classes is None:
                self.classes_ = np.unique(y)
            else:
                self.classes_ = np.unique(np.asarray(self.classes))
            if self.classes_.shape[0] < 2:
                only = self.classes_.tolist()[0] if self.classes_.size else None
                raise ValueError(
                    f"y contains only one class ({only!r}); a "
                    "classifier needs samples of at least 2 classes."
                )
            if self.classes_.shape[0] == 2:
                self.target_type_ = "binary"
                self.n_outputs_ = 1
                self.out_activation_ = "sigmoid"
            else:
                self.target_type_ = "multiclass"
                self.n_outputs_ = self.classes_.shape[0]
                self.out_activation_ = "softmax"
        self.n_classes_ = self.classes_.shape[0]
        return self._encode(y)

    def transform(self, y):
        """Encode ``y`` with the classes learnt in ``fit``.

        Parameters
        ----------
        y : array-like, sparse matrix or DataFrame of shape (n_samples,) or \
                (n_samples, n_labels)
            Target labels or label indicator matrix of the fitted kind.

        Returns
        -------
        y_encoded : {ndarray, sparse matrix} of shape (n_samples, n_outputs_)
            A new float array; a new CSR matrix for a sparse indicator y.
        """
        check_is_fitted(self)
        y, target_type = _validate_target(y)
        is_indicator = target_type == "multilabel-indicator"
        if is_indicator != (self.target_type_ == "multilabel-indicator"):
            raise ValueError(
                f"y is of type {target_type!r} but the encoder was fitted on a "
                f"target of type {self.target_type_!r}."
            )
        return self._encode(y)

    def _encode(self, y):
        if self.target_type_ == "multilabel-indicator":
            if y.shape[1] != self.n_outputs_:
                raise ValueError(
                    f"y has {y.shape[1]} label columns but the encoder was fitted "
                    f"on {self.n_outputs_}."
                )
            # a sparse y stays sparse: the engine densifies a block of rows
            # at a time
            return y.astype(self.dtype)
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not among the "
                f"classes {self.classes_.tolist()}."
            )
        index = np.searchsorted(self.classes_, y)
        if self.target_type_ == "binary":
            return index.reshape(-1, 1).astype(self.dtype)
        encoded = np.zeros((y.shape[0], self.n_outputs_), dtype=self.dtype)
        encoded[np.arange(y.shape[0]), index] = 1
        return encoded

    def inverse_transform(self, y_indicator):
        """Turn a 0/1 matrix of output units back into labels.

        Parameters
        ----------
        y_indicator : {array-like, sparse matrix} of shape (n_samples, n_outputs_)
            0/1 decision per output unit (for multiclass targets, the unit
            with the highest value is taken).

        Returns
        -------
        y : {ndarray, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            The indicator matrix in the dtype of the fitted ``y`` (a CSR
            matrix when that ``y`` was sparse, as
            :class:`~sklearn.multiclass.OneVsRestClassifier` predicts), or the
            class labels for a 1-D target.
        """
        check_is_fitted(self)
        if sp.issparse(y_indicator):
            y_indicator = y_indicator.toarray()
        y_indicator = np.asarray(y_indicator)
        if self.target_type_ == "multilabel-indicator":
            if getattr(self, "sparse_output_", False):
                return sp.csr_matrix(y_indicator, dtype=self._y_dtype)
            return y_indicator.astype(self._y_dtype)
        if self.target_type_ == "binary":
            return self.classes_[(y_indicator[:, 0] > 0).astype(np.intp)]
        return self.classes_[np.argmax(y_indicator, axis=1)]

    def get_metadata(self):
        """Fitted attributes handed to model-building functions as ``meta``.

        Returns
        -------
        meta : dict
            ``classes_``, ``n_classes_``, ``n_outputs_``, ``out_activation_``,
            ``target_type_`` and ``n_outputs_expected_``.
        """
        check_is_fitted(self)
        names = (
            "classes_",
            "n_classes_",
            "n_outputs_",
            "out_activation_",
            "target_type_",
            "n_outputs_expected_",
        )
        return {name: getattr(self, name) for name in names}


def _validate_target(y):
    """Return ``y`` as an array (a sparse indicator stays CSR) with its type,
    or raise a clear error."""
    if y is None:
        raise ValueError("y must be an array-like of labels; got None.")
    check_not_label_sets(y)
    if sp.issparse(y) and y.ndim == 2 and y.shape[1] > 1:
        return _validate_sparse_indicator(y), "multilabel-indicator"
    if sp.issparse(y):
        y = y.toarray()
    y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    if y.ndim > 2:
        raise ValueError(
            f"y must be 1-D labels or a 2-D label indicator matrix; got an array "
            f"with {y.ndim} dimensions."
        )
    target_type = type_of_target(y, input_name="y")
    if target_type in ("binary", "multiclass"):
        return y, target_type
    if target_type in ("multilabel-indicator", "multiclass-multioutput") or (
        y.ndim == 2 and target_type == "continuous-multioutput"
    ):
        check_indicator_values(y)
        return y, "multilabel-indicator"
    check_classification_targets(y)  # raises its "Unknown label type" error
    raise ValueError(f"Unsupported target type {target_type!r}.")


def _validate_sparse_indicator(y):
    """A sparse y of several columns as a CSR indicator, never densified."""
    y = check_array(y, accept_sparse="csr", dtype=None, input_name="y")
    y = sp.csr_matrix(y, copy=True)
    y.sum_duplicates()
    y.eliminate_zeros()
    check_indicator_values(np.r_[y.data, 0])
    y.sort_indices()
    return y


def check_indicator_values(y):
    """Raise a clear error unless the 2-D array ``y`` holds only 0s and 1s.

    scikit-learn's ``type_of_target`` calls any 2-D y of two integer values
    (-1/+1, 0/2) a "multilabel-indicator"; a network with one sigmoid unit
    per label needs 0/1.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_labels)
        Candidate label indicator matrix.

    Raises
    ------
    ValueError
        Naming the values found, if any is not 0 or 1.
    """
    values = np.unique(y)
    if np.isin(values, (0, 1)).all():
        return
    shown = values[:10].tolist()
    raise ValueError(
        "A 2-D y must be a label indicator matrix of 0s and 1s of shape "
        f"(n_samples, n_labels); got values {shown}"
        f"{' ...' if values.size > 10 else ''}. Multiclass-multioutput and "
        "continuous targets are not supported."
    )


def check_not_label_sets(y):
    """Raise a clear error if ``y`` is a sequence of label sets.

    ``[("a", "b"), ("c",)]`` lists each sample's labels; NumPy would fail on
    it with an "inhomogeneous shape" error, or read equal-length rows of
    strings as a 2-D array of labels.

    Parameters
    ----------
    y : object
        The target as given.

    Raises
    ------
    ValueError
        If ``y`` is a list, tuple or 1-D object array whose rows are sets,
        rows of different lengths, or rows of strings.
    """
    if isinstance(y, np.ndarray):
        if y.dtype != object or y.ndim != 1:
            return
    elif not isinstance(y, (list, tuple)):
        return
    rows = [row for row in y if _is_label_row(row)]
    if not rows:
        return
    if (
        len(rows) < len(y)
        or any(isinstance(row, (set, frozenset)) for row in rows)
        or len({len(row) for row in rows}) > 1
        # the first row tells labels from an indicator without a pass over all
        or any(isinstance(label, (str, bytes)) for label in rows[0])
    ):
        raise ValueError(
            f"y looks like a sequence of label sets (first row: {rows[0]!r}); a "
            "2-D label indicator matrix of 0s and 1s, or 1-D labels, is needed. "
            "sklearn.preprocessing.MultiLabelBinarizer turns label sets into an "
            "indicator matrix."
        )


def _is_label_row(row):
    """Whether ``row`` is a collection of labels rather than one label."""
    return isinstance(row, (list, tuple, set, frozenset, np.ndarray)) and not (
        isinstance(row, np.ndarray) and row.ndim == 0
    )

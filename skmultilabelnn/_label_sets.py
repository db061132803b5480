"""The most probable of the label sets seen in training, per sample (NumPy only)."""

import numpy as np
import scipy.sparse as sp

#: Entries of the (rows x label sets) score matrix computed at a time.
_CHUNK_ENTRIES = 4_000_000

#: Probabilities are clipped this far from 0 and 1 before taking logarithms.
_EPSILON = 1e-7


def seen_label_sets(Y):
    """The distinct rows of a 0/1 indicator matrix, sorted.

    Parameters
    ----------
    Y : {ndarray, sparse matrix} of shape (n_samples, n_labels)

    Returns
    -------
    label_sets : {ndarray, sparse matrix} of shape (n_sets, n_labels), dtype uint8
        A CSR matrix for a sparse ``Y`` (its sets sorted by their labels'
        indices), never densified.
    """
    if not sp.issparse(Y):
        return np.unique(np.asarray(Y) > 0, axis=0).astype(np.uint8)
    Y = sp.csr_matrix(Y)
    Y.eliminate_zeros()
    Y.sort_indices()
    sets = sorted(
        {
            tuple(Y.indices[Y.indptr[i] : Y.indptr[i + 1]].tolist())
            for i in range(Y.shape[0])
        }
    )
    indptr = np.cumsum([0, *map(len, sets)])
    indices = np.fromiter((j for labels in sets for j in labels), dtype=np.int64)
    data = np.ones(indices.shape[0], dtype=np.uint8)
    return sp.csr_matrix((data, indices, indptr), shape=(len(sets), Y.shape[1]))


def most_probable_label_sets(proba, label_sets):
    """For each row, the label set of highest probability among ``label_sets``.

    The probability of a label set is the product, over labels, of ``p`` for
    a label in the set and ``1 - p`` for one outside it (the labels taken as
    independent given the sample, as the sigmoid outputs model them), so the
    best set maximises ``sum(log p / (1 - p))`` over its labels.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_labels)
        Probability of each label.
    label_sets : {ndarray, sparse matrix} of shape (n_sets, n_labels)
        The candidate sets, as 0/1 rows.

    Returns
    -------
    indicator : ndarray of shape (n_samples, n_labels), dtype int64

    Examples
    --------
    >>> import numpy as np
    >>> sets = np.array([[1, 1, 0], [0, 0, 1]])
    >>> most_probable_label_sets(np.array([[0.6, 0.4, 0.45]]), sets)
    array([[1, 1, 0]])
    """
    p = np.clip(np.asarray(proba, dtype=np.float64), _EPSILON, 1 - _EPSILON)
    log_odds = np.log(p) - np.log1p(-p)
    sparse = sp.issparse(label_sets)
    sets = (sp.csr_matrix if sparse else np.asarray)(label_sets, dtype=np.float64)
    step = max(1, _CHUNK_ENTRIES // max(1, sets.shape[0]))
    best = np.empty(p.shape[0], dtype=np.intp)
    for start in range(0, p.shape[0], step):
        chunk = log_odds[start : start + step]
        # a sparse matrix goes on the left of its product
        scores = (sets @ chunk.T).T if sparse else chunk @ sets.T
        best[start : start + step] = np.argmax(scores, axis=1)
    if sparse:
        return sets[best].toarray().astype(np.int64)
    return np.asarray(label_sets, dtype=np.int64)[best]

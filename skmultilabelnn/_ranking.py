"""Labels ranked by score: each sample's top k and the metrics on them (NumPy only).

:func:`top_k` keeps each sample's ``k`` highest-scoring labels,
:class:`RankedLabels` holds them, and :func:`ranking_scores` computes the
ranking metrics of extreme multilabel classification (P@k, R@k, nDCG@k,
PSP@k) from dense or CSR ``y_true`` and either full score matrices or a
:class:`RankedLabels`, a few thousand rows at a time, so that a score matrix
of many labels is never held twice and a sparse ``y_true`` never densified
whole.
"""

import numbers
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

#: The ranking metrics :func:`ranking_scores` computes.
RANKING_METRICS = ("precision", "recall", "ndcg", "psp")

#: Score-matrix entries handled at once (rows x labels): 4M float64, 32 MB.
CHUNK_ENTRIES = 1 << 22


@dataclass(frozen=True)
class RankedLabels:
    """Each sample's ``k`` highest-scoring labels, best first.

    Returned by :meth:`KerasMultilabelClassifier.predict_ranked` and
    :func:`skmultilabelnn.metrics.top_k_labels`; the ranking metrics of
    :mod:`skmultilabelnn.metrics` take it in place of a score matrix.

    Parameters
    ----------
    indices : ndarray of shape (n_samples, k), dtype int64
        Column of each ranked label in the label indicator matrix (the
        position in ``classes_``), best first.
    scores : ndarray of shape (n_samples, k)
        The score (probability or decision value) of each ranked label.
    n_labels : int
        The number of label columns the labels were ranked among.
    classes : ndarray of shape (n_labels,) or None, default=None
        The label names, read by :attr:`labels`.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabelnn.metrics import top_k_labels
    >>> ranked = top_k_labels(np.array([[0.1, 0.7, 0.4]]), k=2)
    >>> ranked.indices
    array([[1, 2]])
    >>> ranked.scores
    array([[0.7, 0.4]])
    """

    indices: np.ndarray
    scores: np.ndarray
    n_labels: int
    classes: np.ndarray = None

    @property
    def k(self):
        """The number of labels ranked per sample."""
        return self.indices.shape[1]

    @property
    def labels(self):
        """The ranked labels as entries of ``classes`` (indices without classes).

        Returns
        -------
        labels : ndarray of shape (n_samples, k)
        """
        if self.classes is None:
            return self.indices
        return np.asarray(self.classes)[self.indices]


def check_k(k, n_labels, *, name="k"):
    """Validate a number of top labels against the number of labels.

    Parameters
    ----------
    k : int
        Number of labels ranked per sample.
    n_labels : int
        Number of label columns.
    name : str, default="k"
        The parameter's name in error messages.

    Returns
    -------
    k : int

    Raises
    ------
    ValueError
        If ``k`` is not an integer in ``[1, n_labels]``.
    """
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"{name} must be a positive integer; got {k!r}.")
    if k > n_labels:
        raise ValueError(
            f"{name}={k} is more than the {n_labels} labels there are to rank."
        )
    return int(k)


def top_k(scores, k, classes=None):
    """Each row's ``k`` highest scores, best first; ties go to the lower column.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_labels)
        Finite scores; higher ranks first.
    k : int
        Number of labels kept per row, validated by :func:`check_k`.
    classes : ndarray of shape (n_labels,) or None, default=None
        Label names stored in the result.

    Returns
    -------
    ranked : RankedLabels
    """
    scores = np.asarray(scores)
    n_samples, n_labels = scores.shape
    k = check_k(k, n_labels)
    if n_samples == 0:
        empty = np.zeros((0, k), dtype=np.int64)
        return RankedLabels(empty, scores[:, :k].copy(), n_labels, classes)
    kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1 : k]
    above = scores > kth
    tied = scores == kth
    # of the labels tied with the k-th score, the lowest columns fill the k places
    kept = above | (tied & (np.cumsum(tied, axis=1) <= k - above.sum(axis=1)[:, None]))
    indices = np.nonzero(kept)[1].reshape(n_samples, k)
    chosen = np.take_along_axis(scores, indices, axis=1)
    # a stable sort keeps tied labels in column order
    order = np.argsort(-chosen, axis=1, kind="stable")
    indices = np.take_along_axis(indices, order, axis=1).astype(np.int64)
    return RankedLabels(
        indices, np.take_along_axis(chosen, order, axis=1), n_labels, classes
    )


def inverse_propensities(y, a=0.55, b=1.5):
    """Inverse label propensities of Jain, Prabhu and Varma (2016).

    A label's propensity, the chance that a relevant label was observed, is
    modelled from its count ``N_l`` among ``N`` training samples as
    ``p_l = 1 / (1 + C * exp(-a * log(N_l + b)))`` with
    ``C = (log(N) - 1) * (b + 1) ** a``; rare labels get small propensities
    and so large weights in :func:`skmultilabelnn.metrics.psp_at_k`.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        The training label indicator matrix the counts come from.
    a, b : float, default=0.55 and 1.5
        The constants of the model; the paper uses 0.55 and 1.5 in general,
        0.5 and 0.4 for Wikipedia sets and 0.6 and 2.6 for Amazon sets.

    Returns
    -------
    inverse_propensities : ndarray of shape (n_labels,)
        ``1 / p_l``, at least 1.

    Examples
    --------
    >>> from skmultilabelnn.metrics import inverse_propensities
    >>> inverse_propensities([[1, 1], [0, 1], [0, 1], [0, 1]]).round(3)
    array([1.386, 1.25 ])
    """
    y = check_indicator(y, name="y")
    n_samples = y.shape[0]
    if n_samples < 1:
        raise ValueError("y has no samples to count the labels in.")
    counts = np.asarray(y.sum(axis=0)).ravel().astype(np.float64)
    c = (np.log(n_samples) - 1.0) * (b + 1.0) ** a
    return 1.0 + c * np.exp(-a * np.log(counts + b))


def check_indicator(y, *, name="y_true"):
    """A label indicator matrix as CSR (sorted indices), or a clear error.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        0/1 label indicator matrix.
    name : str, default="y_true"
        The argument's name in error messages.

    Returns
    -------
    y : scipy.sparse.csr_matrix of shape (n_samples, n_labels), dtype float64
    """
    if sp.issparse(y):
        y = sp.csr_matrix(y, dtype=np.float64)
        y.sum_duplicates()
        values = y.data
    else:
        y = np.asarray(y)
        if y.dtype == object or y.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must be a 0/1 label indicator matrix of shape "
                f"(n_samples, n_labels); got an array of dtype {y.dtype}."
            )
        values = y
    if y.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D label indicator matrix of shape "
            f"(n_samples, n_labels); got an array of shape {y.shape}."
        )
    bad = ~np.isin(values, (0, 1))
    if bad.any():
        raise ValueError(
            f"{name} must hold only 0s and 1s; got {values[bad].ravel()[0].item()!r}."
        )
    if not sp.issparse(y):
        y = sp.csr_matrix(y, dtype=np.float64)
    y.sort_indices()
    return y


def ranking_scores(y_true, y_score, k, *, sample_weight=None, inverse_propensity=None):
    """Mean P@k, R@k, nDCG@k and PSP@k of a ranking, computed chunk by chunk.

    Parameters
    ----------
    y_true : {array-like, sparse matrix} of shape (n_samples, n_labels)
        True 0/1 labels.
    y_score : array-like of shape (n_samples, n_labels) or RankedLabels
        Scores of every label (higher ranks first; ties are averaged over
        every order of the tied labels), or each sample's ranked labels.
    k : int
        The cut-off.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Weights of the samples in the means.
    inverse_propensity : ndarray of shape (n_labels,) or None, default=None
        The label weights of PSP@k; without them PSP is not computed.

    Returns
    -------
    scores : dict of str to float
        ``precision``, ``recall``, ``ndcg``, and ``psp`` (with
        ``inverse_propensity``: the mean propensity-scored precision divided
        by that of the best possible ranking).
    """
    y_true = check_indicator(y_true)
    n_samples, n_labels = y_true.shape
    ranked = isinstance(y_score, RankedLabels)
    if ranked:
        _check_ranked(y_score, n_samples, n_labels)
        k = check_k(k, y_score.k, name="k")
    else:
        y_score = _check_scores(y_score, n_samples, n_labels)
        k = check_k(k, n_labels)
    sample_weight = _check_vector(sample_weight, n_samples, "sample_weight", "sample")
    inverse_propensity = _check_vector(
        inverse_propensity, n_labels, "inverse_propensity", "label"
    )
    if n_samples == 0:
        raise ValueError("y_true has no samples to score.")
    per_sample = {name: np.empty(n_samples) for name in (*RANKING_METRICS, "best")}
    step = max(1, CHUNK_ENTRIES // max(n_labels, 1))
    for start in range(0, n_samples, step):
        rows = slice(start, min(start + step, n_samples))
        relevant = y_true[rows].toarray()
        if ranked:
            places = _Places(y_score.indices[rows, :k])
        else:
            places = _Places.of_scores(np.asarray(y_score[rows]), k)
        chunk = _chunk_scores(relevant, places, k, inverse_propensity)
        for name, values in chunk.items():
            per_sample[name][rows] = values
    scores = {
        name: float(np.average(per_sample[name], weights=sample_weight))
        for name in ("precision", "recall", "ndcg")
    }
    if inverse_propensity is not None:
        best = np.average(per_sample["best"], weights=sample_weight)
        gained = np.average(per_sample["psp"], weights=sample_weight)
        scores["psp"] = float(gained / best) if best > 0 else 0.0
    return scores


def _check_vector(values, length, name, per):
    """``values`` as a float64 vector of ``length`` (None stays None)."""
    if values is None:
        return None
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (length,):
        raise ValueError(
            f"{name} has shape {values.shape}; expected ({length},), one value "
            f"per {per}."
        )
    return values


def _check_scores(y_score, n_samples, n_labels):
    if sp.issparse(y_score):
        raise TypeError(
            "y_score must be a dense array of scores or a RankedLabels; got a "
            "sparse matrix."
        )
    y_score = np.asarray(y_score)
    if y_score.dtype.kind not in "biuf":
        raise ValueError(f"y_score must hold numbers; got dtype {y_score.dtype}.")
    if y_score.shape != (n_samples, n_labels):
        raise ValueError(
            f"y_score has shape {y_score.shape} but y_true has shape "
            f"{(n_samples, n_labels)}; a score is needed for every label of "
            "every sample."
        )
    if not np.isfinite(y_score).all():
        raise ValueError("y_score holds NaN or infinite values.")
    return y_score


def _check_ranked(ranked, n_samples, n_labels):
    if ranked.indices.shape[0] != n_samples or ranked.n_labels != n_labels:
        raise ValueError(
            f"The ranked labels are of {ranked.indices.shape[0]} samples among "
            f"{ranked.n_labels} labels, but y_true has shape "
            f"{(n_samples, n_labels)}."
        )


class _Places:
    """The k ranked places of a chunk of samples, and what each place gains.

    From ranked indices, a place holds one label. From scores, labels tied
    in score share their places: each place gains the mean value of the
    labels tied with it (the expected gain when ties are broken at random);
    the labels tied with the k-th score may spill past the cut, those tied
    above it lie wholly within the k places.
    """

    def __init__(self, indices, scores=None, kth_ties=None):
        self.indices = indices
        self.scores = scores
        self.kth_ties = kth_ties

    @classmethod
    def of_scores(cls, scores, k):
        ranked = top_k(scores, k)
        return cls(ranked.indices, ranked.scores, scores == ranked.scores[:, -1:])

    def gains(self, values):
        """The (expected) value at each place of the per-label ``values``.

        Parameters
        ----------
        values : ndarray of shape (n_samples, n_labels)

        Returns
        -------
        gains : ndarray of shape (n_samples, k)
        """
        gains = np.take_along_axis(values, self.indices, axis=1)
        if self.scores is None:
            return gains
        at_cut = self.scores == self.scores[:, -1:]
        share = (self.kth_ties * values).sum(axis=1) / self.kth_ties.sum(axis=1)
        same = self.scores[:, :, None] == self.scores[:, None, :]
        above = np.einsum("nij,nj->ni", same, gains) / same.sum(axis=2)
        return np.where(at_cut, share[:, None], above)


def _chunk_scores(relevant, places, k, inverse_propensity):
    """Per-sample P@k, R@k, nDCG@k and the two means of PSP@k."""
    gains = places.gains(relevant)
    n_relevant = relevant.sum(axis=1).astype(np.int64)
    hits = gains.sum(axis=1)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discount)[np.maximum(np.minimum(n_relevant, k) - 1, 0)]
    scores = {
        "precision": hits / k,
        "recall": np.divide(
            hits, n_relevant, out=np.zeros(len(hits)), where=n_relevant > 0
        ),
        "ndcg": np.where(n_relevant > 0, gains @ discount / ideal, 0.0),
        "psp": np.zeros(len(hits)),
        "best": np.zeros(len(hits)),
    }
    if inverse_propensity is not None:
        weights = relevant * inverse_propensity
        scores["psp"] = places.gains(weights).sum(axis=1) / k
        scores["best"] = -np.sort(-weights, axis=1)[:, :k].sum(axis=1) / k
    return scores

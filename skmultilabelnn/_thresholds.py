"""Learning per-label thresholds from out-of-fold scores (NumPy; a sparse
indicator is densified)."""

import numpy as np
import scipy.sparse as sp

#: The values of ``threshold_metric`` (and of the tuner's ``scoring``).
THRESHOLD_METRICS = ("f1", "f1_micro", "f1_samples")

#: Out-of-fold positives worth as much as the shared threshold: a label with
#: ``n`` positives keeps ``n / (n + SHRINK_POSITIVES)`` of its own threshold.
SHRINK_POSITIVES = 10

#: How far :func:`learn_thresholds` may pull thresholds back toward the usual
#: cut: the fraction of the way from the usual cut that is kept, in order.
_PULL_BACK = (1.0, 0.75, 0.5, 0.25, 0.0)


def learn_thresholds(y_true, scores, *, metric="f1", default=0.5):
    """Per-label thresholds from out-of-fold scores, safe for rare labels.

    The rule of ``threshold="auto"`` and :class:`MultilabelThresholdTuner`:

    1. each label's own best threshold for ``metric``
       (:func:`tune_thresholds`), and one shared threshold, the best single
       cut for all labels together;
    2. each label's threshold shrunk toward the shared one by the weight of
       its evidence: a label with ``n`` positives among the rows keeps
       ``n / (n + 10)`` of its own threshold, so one learned from one or two
       positives stays close to the shared one; a label with no positive
       among the rows keeps ``default``;
    3. each label's threshold pulled back toward ``default`` (by steps of a
       quarter of the way) until moving that label alone from ``default``
       lowers neither ``metric`` nor micro-F1 on these rows; then all of
       them together, by the same steps, until the whole set lowers neither.
       At worst every label keeps ``default``.

    Parameters
    ----------
    y_true : {ndarray, sparse matrix} of shape (n_samples, n_labels)
        0/1 indicator of the rows' labels.
    scores : ndarray of shape (n_samples, n_labels)
        Probabilities or decision scores of the rows, made by models that did
        not train on them (higher means more likely).
    metric : {"f1", "f1_micro", "f1_samples"}, default="f1"
        What the thresholds maximise: each label's F1 (macro-F1), the F1 of
        all decisions pooled (micro-F1), or the mean F1 of each sample's
        predicted label set (samples-F1).
    default : float, default=0.5
        The usual cut: 0.5 on probabilities, 0 on decision scores.

    Returns
    -------
    thresholds : ndarray of shape (n_labels,)

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabelnn._thresholds import learn_thresholds
    >>> y = np.array([[1, 0], [1, 0], [0, 1], [0, 0]])
    >>> scores = np.array([[0.4, 0.1], [0.45, 0.2], [0.2, 0.3], [0.1, 0.2]])
    >>> learn_thresholds(y, scores).shape
    (2,)
    """
    y_true = np.asarray(y_true.toarray() if sp.issparse(y_true) else y_true, bool)
    scores = np.asarray(scores, dtype=np.float64)
    own = tune_thresholds(y_true, scores, metric=metric, default=default)
    shared = _shared_threshold(y_true, scores, metric, default)
    n_positives = y_true.sum(axis=0)
    keep = n_positives / (n_positives + SHRINK_POSITIVES)
    shrunk = keep * own + (1 - keep) * shared
    # no positive among the rows: nothing to learn a cut from
    shrunk[n_positives == 0] = default
    each_pulled = _pull_back_each_label(y_true, scores, shrunk, metric, default)
    guarded = (metric,) if metric == "f1_micro" else (metric, "f1_micro")
    baseline = [score_decisions(y_true, scores >= default, name) for name in guarded]
    for fraction in _PULL_BACK:
        thresholds = default + fraction * (each_pulled - default)
        decisions = scores >= thresholds
        if all(
            score_decisions(y_true, decisions, name) >= base - 1e-12
            for name, base in zip(guarded, baseline, strict=True)
        ):
            return thresholds
    return thresholds  # fraction 0: the default everywhere


def _pull_back_each_label(y_true, scores, thresholds, metric, default):
    """Each threshold as far toward its value as moving that label alone allows.

    Moving one label from ``default`` must not lower micro-F1 nor ``metric``
    (that label's F1 for ``"f1"``); counts are updated for the one label, so
    this costs O(n_samples) per label and step.
    """
    at_default = scores >= default
    tp0 = (y_true & at_default).sum(axis=0)
    pred0 = at_default.sum(axis=0)
    positives = y_true.sum(axis=0)
    total_tp, total_pred, total_pos = tp0.sum(), pred0.sum(), positives.sum()
    micro0 = _f1(total_tp, total_pred - total_tp, total_pos - total_tp)
    row_tp0 = (y_true & at_default).sum(axis=1)
    row_pred0 = at_default.sum(axis=1)
    row_pos = y_true.sum(axis=1)
    samples0 = _f1(row_tp0, row_pred0 - row_tp0, row_pos - row_tp0).mean()
    pulled = np.full(thresholds.shape, float(default))
    for j, threshold in enumerate(thresholds):
        for fraction in _PULL_BACK:
            cut = default + fraction * (threshold - default)
            decided = scores[:, j] >= cut
            hits = y_true[:, j] & decided
            tp, pred = int(hits.sum()), int(decided.sum())
            all_tp = total_tp - tp0[j] + tp
            all_pred = total_pred - pred0[j] + pred
            keeps = _f1(all_tp, all_pred - all_tp, total_pos - all_tp) >= micro0 - 1e-12
            if keeps and metric == "f1":
                f1_now = _f1(tp, pred - tp, positives[j] - tp)
                f1_before = _f1(tp0[j], pred0[j] - tp0[j], positives[j] - tp0[j])
                keeps = f1_now >= f1_before - 1e-12
            elif keeps and metric == "f1_samples":
                row_tp = row_tp0 - (y_true[:, j] & at_default[:, j]) + hits
                row_pred = row_pred0 - at_default[:, j] + decided
                samples = _f1(row_tp, row_pred - row_tp, row_pos - row_tp).mean()
                keeps = samples >= samples0 - 1e-12
            if keeps:
                pulled[j] = cut
                break
    return pulled


def score_decisions(y_true, y_pred, metric):
    """F1 of 0/1 decisions: per label then averaged, pooled, or per sample.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples, n_labels)
        True labels and decisions, as bools.
    metric : {"f1", "f1_micro", "f1_samples"}
        Macro-F1 (a label with no positive and no positive decision counts
        as 0, as in :func:`sklearn.metrics.f1_score` with
        ``zero_division=0``), micro-F1 or samples-F1.

    Returns
    -------
    score : float
    """
    tp = (y_true & y_pred).sum(axis=0 if metric != "f1_samples" else 1)
    n_true = y_true.sum(axis=0 if metric != "f1_samples" else 1)
    n_pred = y_pred.sum(axis=0 if metric != "f1_samples" else 1)
    if metric == "f1_micro":
        return float(_f1(tp.sum(), n_pred.sum() - tp.sum(), n_true.sum() - tp.sum()))
    return float(np.mean(_f1(tp, n_pred - tp, n_true - tp)))


def _shared_threshold(y_true, scores, metric, default):
    """The one cut for every label that scores best on ``metric``.

    Candidates are ``default``, 65 quantiles of all the scores (from the
    lowest, which keeps every row) and the midpoints between them.
    """
    quantiles = np.unique(np.quantile(scores, np.linspace(0, 1, 65)))
    candidates = np.r_[default, quantiles, (quantiles[1:] + quantiles[:-1]) / 2]
    values = [score_decisions(y_true, scores >= c, metric) for c in candidates]
    return float(candidates[int(np.argmax(values))])


def tune_thresholds(y_true, scores, *, metric="f1", default=0.5, n_sweeps=3):
    """Learn one threshold per label that maximises ``metric`` on held-out scores.

    The thresholds are exactly the best on these rows, however few positives
    a label has; :func:`learn_thresholds` is the rule that stays safe on new
    rows.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, n_labels)
        0/1 indicator of held-out labels.
    scores : ndarray of shape (n_samples, n_labels)
        Held-out probabilities or decision scores (higher means more likely).
    metric : {"f1", "f1_micro", "f1_samples"}, default="f1"
        ``"f1"`` maximises each label's own F1 (the macro-F1); ``"f1_micro"``
        maximises the F1 of all label decisions pooled, and ``"f1_samples"``
        the mean F1 of each row's predicted label set, both by coordinate
        ascent over the labels starting from ``default``.
    default : float, default=0.5
        Threshold of a label whose F1 cannot be improved on these rows (no
        positive among them).
    n_sweeps : int, default=3
        Passes of coordinate ascent for ``"f1_micro"`` and ``"f1_samples"``.

    Returns
    -------
    thresholds : ndarray of shape (n_labels,)
        A label is predicted when its score is at least its threshold. Each
        lies halfway between the last score kept and the first one cut (or
        on the last score kept, when every row is kept or no float lies
        between the two), so it stays within the range of the scores.
    """
    y_true = np.asarray(y_true, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_labels = y_true.shape[1]
    cuts = [_label_cuts(y_true[:, j], scores[:, j], default) for j in range(n_labels)]
    if metric == "f1_samples":
        return _samples_ascent(y_true, scores, cuts, n_sweeps)
    if metric == "f1":
        chosen = [int(np.argmax(_f1(tp, fp, fn))) for _, tp, fp, fn in cuts]
    else:
        chosen = [0] * n_labels  # candidate 0 is the default
        totals = np.sum([[c[k][0] for k in (1, 2, 3)] for c in cuts], axis=0)
        for _ in range(n_sweeps):
            for j, (_, tp, fp, fn) in enumerate(cuts):
                others = totals - [tp[chosen[j]], fp[chosen[j]], fn[chosen[j]]]
                chosen[j] = int(
                    np.argmax(_f1(others[0] + tp, others[1] + fp, others[2] + fn))
                )
                totals = others + [tp[chosen[j]], fp[chosen[j]], fn[chosen[j]]]
    return np.array([thr[k] for (thr, *_), k in zip(cuts, chosen, strict=True)])


#: Cuts tried per label by the samples-F1 ascent (the default and up to this
#: many of the label's cuts that fall just below one of its positives).
_SAMPLES_CANDIDATES = 32


def _samples_ascent(y_true, scores, cuts, n_sweeps):
    """Coordinate ascent of samples-F1 over each label's candidate cuts."""
    n_labels = y_true.shape[1]
    candidates = []
    for j, (thr, *_) in enumerate(cuts):
        # the best cuts keep a positive last: those just below a positive's score
        positive = np.sort(scores[y_true[:, j], j])[::-1]
        at = np.searchsorted(-thr[1:], -positive, side="right")
        useful = np.unique(thr[1:][np.clip(at - 1, 0, thr.shape[0] - 2)])
        if useful.shape[0] > _SAMPLES_CANDIDATES:
            pick = np.linspace(0, useful.shape[0] - 1, _SAMPLES_CANDIDATES)
            useful = useful[np.round(pick).astype(int)]
        candidates.append(np.r_[thr[0], useful])
    thresholds = np.array([c[0] for c in candidates])
    decisions = scores >= thresholds
    n_true = y_true.sum(axis=1)
    # each row's true positives and predicted labels, kept up to date
    row_tp = (y_true & decisions).sum(axis=1)
    row_pred = decisions.sum(axis=1)
    for _ in range(n_sweeps):
        for j in range(n_labels):
            tp = row_tp - (y_true[:, j] & decisions[:, j])
            n_pred = row_pred - decisions[:, j]
            options = scores[:, j][None, :] >= candidates[j][:, None]
            new_tp = tp + (options & y_true[:, j])
            new_pred = n_pred + options
            values = _f1(new_tp, new_pred - new_tp, n_true - new_tp).mean(axis=1)
            best = int(np.argmax(values))
            thresholds[j] = candidates[j][best]
            decisions[:, j] = options[best]
            row_tp, row_pred = new_tp[best], new_pred[best]
    return thresholds


def _label_cuts(y, s, default):
    """Candidate thresholds of one label and the counts each one gives.

    Candidate 0 is ``default``; candidate k >= 1 keeps the k best scores.
    Returns (thresholds, tp, fp, fn), arrays of length n_samples + 1.
    """
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    # a cut can only fall between two different scores
    last_of_ties = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    k = np.flatnonzero(last_of_ties) + 1
    tp = np.cumsum(y_sorted)[k - 1]
    fp = k - tp
    fn = y.sum() - tp
    # halfway to the next score; keeping every row cuts at the lowest score
    kept, below = s_sorted[k - 1], np.r_[s_sorted, s_sorted[-1]][k]
    halfway = (kept + below) / 2
    # between two neighbouring floats, halfway rounds to one of them: cut at
    # the score kept, so that the score below stays out
    thresholds = np.where(halfway > below, halfway, kept)
    default_tp = int(y[s >= default].sum())
    default_fp = int((s >= default).sum()) - default_tp
    return (
        np.r_[default, thresholds],
        np.r_[default_tp, tp],
        np.r_[default_fp, fp],
        np.r_[y.sum() - default_tp, fn],
    )


def _f1(tp, fp, fn):
    denominator = 2 * tp + fp + fn
    return np.divide(
        2 * tp, denominator, out=np.zeros(np.shape(tp)), where=denominator > 0
    )

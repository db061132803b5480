"""Tests that searches give the same scores on every joblib backend.

A seeded estimator's fits draw no randomness from a process or thread, so a
GridSearchCV run in worker processes (loky), in threads, or on a Dask
cluster must score exactly as the same search run sequentially.
"""

import joblib
import pytest
from sklearn.model_selection import GridSearchCV, KFold

from skmultilabelnn import KerasMultilabelClassifier


def _search(n_jobs=None):
    """A small search: 2 candidates x 2 folds of a tiny, seeded estimator with
    the default training (a cross-fitted ensemble, here of two members, and
    thresholds learned from it)."""
    return GridSearchCV(
        KerasMultilabelClassifier(
            hidden_layer_sizes=(8,), epochs=5, random_state=0, ensemble_size=2
        ),
        {"hidden_layer_sizes": [(4,), (8,)]},
        cv=KFold(2, shuffle=True, random_state=0),
        scoring="f1_micro",
        refit=False,
        n_jobs=n_jobs,
    )


@pytest.fixture(scope="module")
def sequential_scores(multilabel_data):
    """mean_test_score of the search with n_jobs=1, outside any backend context."""
    X, Y = multilabel_data
    return _search(n_jobs=1).fit(X, Y).cv_results_["mean_test_score"].tolist()


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_search_scores_equal_on_joblib_backends(
    multilabel_data, sequential_scores, backend
):
    """Check that loky and threading searches score exactly as n_jobs=1."""
    X, Y = multilabel_data
    with joblib.parallel_backend(backend, n_jobs=2):
        search = _search().fit(X, Y)
    assert search.cv_results_["mean_test_score"].tolist() == sequential_scores


def test_search_scores_equal_on_dask(multilabel_data, sequential_scores):
    """Check that a search on a Dask LocalCluster scores exactly as n_jobs=1."""
    distributed = pytest.importorskip("distributed")
    X, Y = multilabel_data
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_backend("dask"),
    ):
        search = _search().fit(X, Y)
    assert search.cv_results_["mean_test_score"].tolist() == sequential_scores

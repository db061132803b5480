import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.utils import get_tags
from sklearn.utils.validation import column_or_1d

from skmultilabelnn import KerasMultilabelClassifier, MultilabelThresholdTuner

X, Y = make_multilabel_classification(
    n_samples=300, n_features=8, n_classes=5, n_labels=1, random_state=0
)


class Memorizer(ClassifierMixin, BaseEstimator):
    """Scores its own training rows with their true labels, other rows 0.3.

    Thresholds tuned on training-set scores would separate the memorised
    labels (a cut above 0.3); out-of-fold scores are all 0.3.
    """

    def fit(self, X, y):
        self.seen_ = {row.tobytes(): label for row, label in zip(X, y, strict=True)}
        self.classes_ = np.arange(y.shape[1])
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        unseen = np.full(len(self.classes_), 0.3)
        return np.array([self.seen_.get(row.tobytes(), unseen) for row in X], float)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)


def test_thresholds_come_from_out_of_fold_scores_only():
    """Check that the tuner never tunes on scores of rows the scorer trained on."""
    tuner = MultilabelThresholdTuner(Memorizer(), cv=3).fit(X, Y)
    # out of fold, every score is 0.3, so the best cut keeps every row
    np.testing.assert_array_equal(tuner.thresholds_, np.full(5, 0.3))
    # the refitted estimator has seen every row
    np.testing.assert_array_equal(tuner.predict_proba(X), Y)


def test_tuner_raises_macro_f1_of_an_svm_baseline():
    """Check that tuned thresholds lift macro-F1 over the default cut on new data."""
    X_train, X_test, Y_train, Y_test = X[:200], X[200:], Y[:200], Y[200:]
    svm = make_pipeline(StandardScaler(), OneVsRestClassifier(SVC()))
    base = svm.fit(X_train, Y_train).predict(X_test)
    tuner = MultilabelThresholdTuner(svm, cv=KFold(3, shuffle=True, random_state=0))
    tuned = tuner.fit(X_train, Y_train).predict(X_test)
    assert tuner.response_method_ == "decision_function"
    assert f1_score(Y_test, tuned, average="macro") > f1_score(
        Y_test, base, average="macro"
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_tuner_shapes_and_dtype():
    """Check the fitted attributes and predict's shape and dtype."""
    tuner = MultilabelThresholdTuner(MLPClassifier(max_iter=50, random_state=0), cv=2)
    tuner.fit(X, Y.astype(np.uint8))
    assert tuner.thresholds_.shape == (5,)
    assert np.all((tuner.thresholds_ >= 0) & (tuner.thresholds_ <= 1))
    y_pred = tuner.predict(X[:7])
    assert y_pred.shape == (7, 5) and y_pred.dtype == np.uint8
    assert tuner.predict_proba(X[:7]).shape == (7, 5)
    assert not hasattr(tuner, "decision_function")


def test_tuner_takes_a_sparse_indicator_as_its_dense_form():
    """Check that a sparse y learns the thresholds of the same y dense."""
    make = lambda: MultilabelThresholdTuner(  # noqa: E731
        OneVsRestClassifier(LogisticRegression()), cv=3
    )
    dense, sparse = make().fit(X, Y), make().fit(X, sp.csr_matrix(Y))
    np.testing.assert_array_equal(sparse.thresholds_, dense.thresholds_)
    np.testing.assert_array_equal(sparse.predict(X), dense.predict(X))


def test_tuner_predict_uses_learned_thresholds():
    """Check that predict is the refitted estimator's scores >= thresholds_."""
    tuner = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=3)
    tuner.fit(X, Y)
    np.testing.assert_array_equal(
        tuner.predict(X), tuner.predict_proba(X) >= tuner.thresholds_
    )


def test_tuner_at_least_one_label():
    """Check that every sample gets a label when at_least_one_label is set."""
    base = OneVsRestClassifier(LogisticRegression())
    tuner = MultilabelThresholdTuner(base, cv=3, scoring="f1_micro")
    plain = tuner.fit(X, Y).predict(X)
    forced = tuner.set_params(at_least_one_label=True).fit(X, Y).predict(X)
    assert (plain.sum(axis=1) == 0).any()
    assert (forced.sum(axis=1) >= 1).all()
    changed = plain.sum(axis=1) == 0
    np.testing.assert_array_equal(forced[~changed], plain[~changed])


def test_tuner_binary_target():
    """Check a binary target: one threshold, predictions in the original classes."""
    y = np.where(Y[:, 0] == 1, "yes", "no")
    tuner = MultilabelThresholdTuner(LogisticRegression(), cv=3).fit(X, y)
    assert tuner.thresholds_.shape == (1,)
    proba = tuner.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(
        tuner.predict(X), np.where(proba >= tuner.thresholds_[0], "yes", "no")
    )


def test_tuner_reproducible_and_in_grid_search():
    """Check a GridSearchCV over the tuner's scoring, twice with the same result."""

    def search():
        tuner = MultilabelThresholdTuner(
            OneVsRestClassifier(LogisticRegression()), cv=2
        )
        grid = GridSearchCV(tuner, {"scoring": ["f1", "f1_micro"]}, cv=2)
        return grid.fit(X, Y)

    first, second = search(), search()
    np.testing.assert_array_equal(
        first.best_estimator_.thresholds_, second.best_estimator_.thresholds_
    )


def test_tuner_around_keras_classifier():
    """Check the tuner around KerasMultilabelClassifier, in a pipeline."""
    keras_clf = KerasMultilabelClassifier(
        hidden_layer_sizes=(8,), epochs=2, learning_rate=0.01, random_state=0
    )
    tuner = MultilabelThresholdTuner(keras_clf, cv=2)
    model = make_pipeline(StandardScaler(), tuner).fit(X, Y)
    assert model.predict(X).shape == Y.shape
    assert model[-1].response_method_ == "predict_proba"


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "params, y, error, message",
    [
        ({}, np.arange(300) % 3, ValueError, "Only binary classification is supported"),
        ({"scoring": "roc"}, Y, ValueError, "'scoring' parameter"),
        (
            {"refit": "yes"},
            Y,
            ValueError,
            "'refit' parameter .* among {'auto'}.* 'bool'",
        ),
        ({"refit": None}, Y, ValueError, "'refit' parameter"),
        (
            {"response_method": "decision_function"},
            Y,
            AttributeError,
            "decision_function",
        ),
    ],
)
def test_tuner_errors(params, y, error, message):
    """Check the errors for a multiclass y and bad settings."""
    tuner = MultilabelThresholdTuner(MLPClassifier(max_iter=5), cv=2, **params)
    with pytest.raises(error, match=message):
        tuner.fit(X, y)


def test_tuner_needs_scores():
    """Check the error for an estimator with no predict_proba, decision_function."""

    class NoScores(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            return self

    with pytest.raises(AttributeError, match="predict_proba or decision_function"):
        MultilabelThresholdTuner(NoScores()).fit(X, Y)


@pytest.mark.parametrize(
    "y, shown",
    [(np.where(Y == 1, 1, -1), r"\[-1, 1\]"), (2 * Y, r"\[0, 2\]")],
)
def test_tuner_rejects_indicator_of_other_values(y, shown):
    """Check that a 2-D y of two values other than 0/1 is refused, not cast to bool."""
    tuner = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=3)
    with pytest.raises(ValueError, match=rf"0s and 1s .* got values {shown}"):
        tuner.fit(X, y)


def test_tuner_binary_target_of_minus_one_and_one():
    """Check that a 1-D -1/+1 target stays a binary target of those classes."""
    y = np.where(Y[:, 0] == 1, 1, -1)
    tuner = MultilabelThresholdTuner(LogisticRegression(), cv=3).fit(X, y)
    np.testing.assert_array_equal(tuner.classes_, [-1, 1])
    assert set(np.unique(tuner.predict(X))) == {-1, 1}


@pytest.mark.parametrize(
    "y", [[("a", "b"), ("c",)] * 150, [("a", "b"), ("c", "d")] * 150]
)
def test_tuner_rejects_label_sets(y):
    """Check that label sets are refused with a pointer to MultiLabelBinarizer."""
    tuner = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=3)
    with pytest.raises(ValueError, match="label sets.*MultiLabelBinarizer"):
        tuner.fit(X, y)


def test_tuner_column_vector_warns_as_sklearn():
    """Check that a column-vector y warns with scikit-learn's own message."""
    y = Y[:, :1]
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        column_or_1d(y, warn=True)
    tuner = MultilabelThresholdTuner(LogisticRegression(), cv=3)
    with pytest.warns(DataConversionWarning) as record:
        tuner.fit(X, y)
    assert str(record[0].message) == str(expected[0].message)
    assert tuner.thresholds_.shape == (1,)


class SparseFormatRecorder(ClassifierMixin, BaseEstimator):
    """Scores every label 0.5 and remembers the sparse format it was given."""

    def fit(self, X, y):
        self.fit_format_ = X.format
        self.classes_ = np.arange(y.shape[1])
        return self

    def predict_proba(self, X):
        self.predict_format_ = X.format
        return np.full((X.shape[0], len(self.classes_)), 0.5)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)


@pytest.mark.parametrize(
    "fmt, expected",
    [("csr", "csr"), ("csc", "csc"), ("coo", "csr"), ("lil", "csr"), ("dok", "csr")],
)
def test_tuner_passes_sparse_X_as_csr_or_csc(fmt, expected):
    """Check that sparse X reaches the estimator as CSR, or CSC when given so."""
    X_sparse = sp.csr_matrix(X).asformat(fmt)
    tuner = MultilabelThresholdTuner(SparseFormatRecorder(), cv=3).fit(X_sparse, Y)
    assert tuner.estimator_.fit_format_ == expected
    tuner.predict(sp.csr_matrix(X[:5]).asformat(fmt))
    assert tuner.estimator_.predict_format_ == expected


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csr_array])
def test_tuner_sparse_X_gives_the_dense_thresholds(container):
    """Check that a CSR X gives the thresholds and predictions of the dense X."""
    X_small, Y_small = X[:90], Y[:90]
    dense = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=3)
    sparse = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=3)
    dense.fit(X_small, Y_small)
    sparse.fit(container(X_small), Y_small)
    assert get_tags(sparse).input_tags.sparse
    np.testing.assert_allclose(sparse.thresholds_, dense.thresholds_)
    np.testing.assert_array_equal(
        sparse.predict(container(X_small)), dense.predict(X_small)
    )


@pytest.mark.parametrize("cv", [100, 61])
def test_tuner_checks_folds_against_rows_first(tiny_data, cv):
    """Check that more folds than rows is refused, naming cv, before any fit."""
    X, Y = tiny_data
    fits = []

    class Counting(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            fits.append(1)
            return super().fit(X, y, sample_weight)

    tuner = MultilabelThresholdTuner(OneVsRestClassifier(Counting()), cv=cv)
    with pytest.raises(ValueError, match=rf"cv={cv} folds need at least {cv} rows"):
        tuner.fit(X, Y)
    assert fits == []


def test_tuner_refuses_cv_that_is_not_a_partition(tiny_data):
    """Check that folds that test a row twice are refused with a clear error."""
    X, Y = tiny_data
    rows = np.arange(X.shape[0])
    cv = [(rows[30:], rows[:40]), (rows[:30], rows[30:])]
    tuner = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=cv)
    with pytest.raises(ValueError, match="test every row once"):
        tuner.fit(X, Y)


def test_tuner_keeps_default_for_label_without_positive(tiny_data):
    """Check that a label with no out-of-fold positive keeps the usual cut (0.5)."""
    X, Y = tiny_data
    Y = Y.copy()
    Y[:, 2] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # OvR: label 2 always absent
        tuner = MultilabelThresholdTuner(
            OneVsRestClassifier(LogisticRegression()), cv=3
        ).fit(X, Y)
    assert tuner.thresholds_[2] == 0.5


class CountingLinearSVC(LinearSVC):
    """LinearSVC that records the number of rows of each fit."""

    fitted_rows = []

    def fit(self, X, y, sample_weight=None):
        type(self).fitted_rows.append(X.shape[0])
        return super().fit(X, y, sample_weight)


def test_tuner_refit_auto_predicts_with_fold_models_on_decision_scores():
    """Check that decision scores are cut on the mean of the fold models' scores."""
    CountingLinearSVC.fitted_rows = []
    tuner = MultilabelThresholdTuner(
        OneVsRestClassifier(CountingLinearSVC(random_state=0)), cv=3
    ).fit(X, Y)
    assert tuner.response_method_ == "decision_function"
    assert tuner.refit_ is False
    assert not hasattr(tuner, "estimator_")
    assert len(tuner.estimators_) == 3
    # one binary LinearSVC per label and fold, none on all 300 rows
    assert len(CountingLinearSVC.fitted_rows) == 3 * Y.shape[1]
    assert max(CountingLinearSVC.fitted_rows) < X.shape[0]
    mean = np.mean([m.decision_function(X) for m in tuner.estimators_], axis=0)
    np.testing.assert_allclose(tuner.decision_function(X), mean)
    np.testing.assert_array_equal(tuner.predict(X), mean >= tuner.thresholds_)
    assert not hasattr(tuner, "predict_proba")
    assert tuner.n_features_in_ == X.shape[1]


def test_tuner_refit_auto_refits_on_probabilities():
    """Check that probabilities keep the refit on all rows: cv + 1 fits."""
    fits = []

    class Counting(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            fits.append(X.shape[0])
            return super().fit(X, y, sample_weight)

    tuner = MultilabelThresholdTuner(Counting(), cv=3).fit(X, Y[:, 0])
    assert tuner.refit_ is True and not hasattr(tuner, "estimators_")
    assert len(fits) == 4 and fits[-1] == X.shape[0]
    np.testing.assert_array_equal(
        tuner.predict_proba(X), tuner.estimator_.predict_proba(X)
    )


def test_tuner_refit_false_on_probabilities():
    """Check that refit=False averages the fold models' probabilities too."""
    tuner = MultilabelThresholdTuner(
        OneVsRestClassifier(LogisticRegression()), cv=3, refit=False
    ).fit(X, Y)
    assert tuner.refit_ is False and tuner.response_method_ == "predict_proba"
    mean = np.mean([m.predict_proba(X) for m in tuner.estimators_], axis=0)
    np.testing.assert_allclose(tuner.predict_proba(X), mean)
    np.testing.assert_array_equal(tuner.predict(X), mean >= tuner.thresholds_)
    # decision_function is the fold models' mean as well
    mean_scores = np.mean([m.decision_function(X) for m in tuner.estimators_], axis=0)
    np.testing.assert_allclose(tuner.decision_function(X), mean_scores)


def test_tuner_refit_true_on_decision_scores():
    """Check that refit=True keeps the refit on all rows for decision scores."""
    tuner = MultilabelThresholdTuner(
        OneVsRestClassifier(LinearSVC(random_state=0)), cv=3, refit=True
    ).fit(X, Y)
    assert tuner.refit_ is True and not hasattr(tuner, "estimators_")
    scores = tuner.estimator_.decision_function(X)
    np.testing.assert_array_equal(tuner.predict(X), scores >= tuner.thresholds_)
    # refitting with refit=False drops estimator_ of the earlier fit
    tuner.set_params(refit=False).fit(X, Y)
    assert not hasattr(tuner, "estimator_") and len(tuner.estimators_) == 3


class MarginsShrinkWithRows(ClassifierMixin, BaseEstimator):
    """Decision scores ``scale * (x_j + 0.5)``, ``scale`` shrinking with the rows.

    A model trained on more rows gives smaller margins (as stronger pooled
    regularisation might): the best cut, at x_j = 0, is at 0.5 on the scale
    of 200 rows, but at 0.1 on the scale of 300.
    """

    def fit(self, X, y):
        self.scale_ = (200.0 / X.shape[0]) ** 4
        self.classes_ = np.arange(y.shape[1])
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        return self.scale_ * (X[:, : len(self.classes_)] + 0.5)

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)


def test_tuner_fold_models_fix_a_scale_mismatch():
    """Check that thresholds learned on fold margins are not applied to others.

    Refitted on all rows, the margins shrink fivefold and the thresholds
    learned on the fold models' margins cut far too high: micro-F1 falls
    below the model's own cut. The fold models predict on the thresholds'
    scale and beat it.
    """
    rng = np.random.default_rng(0)
    X_all = rng.normal(size=(600, 3))
    Y_all = (X_all + 0.3 * rng.normal(size=X_all.shape) > 0).astype(int)
    X_train, X_test, Y_train, Y_test = (
        X_all[:300],
        X_all[300:],
        Y_all[:300],
        Y_all[300:],
    )
    plain = MarginsShrinkWithRows().fit(X_train, Y_train).predict(X_test)
    plain_f1 = f1_score(Y_test, plain, average="micro")

    def tuned_f1(refit):
        tuner = MultilabelThresholdTuner(MarginsShrinkWithRows(), cv=3, refit=refit)
        return f1_score(
            Y_test, tuner.fit(X_train, Y_train).predict(X_test), average="micro"
        )

    assert tuned_f1(True) < plain_f1 - 0.1  # the old behaviour
    assert tuned_f1("auto") == tuned_f1(False) > plain_f1


def test_tuner_decision_cut_is_above_zero_as_sklearn():
    """Check that a label never positive in training keeps sklearn's cut, score > 0.

    One-vs-rest scores such a label exactly 0 on every row; a cut of
    ``score >= 0`` would switch it on everywhere.
    """
    Y_missing = Y.copy()
    Y_missing[:, 2] = 0
    base = OneVsRestClassifier(LinearSVC(random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # OvR: label 2 always absent
        for refit in (True, False):
            tuner = MultilabelThresholdTuner(base, cv=3, refit=refit)
            tuner.fit(X, Y_missing)
            assert tuner.thresholds_[2] == np.nextafter(0.0, 1.0)
            np.testing.assert_array_equal(tuner.decision_function(X)[:, 2], 0.0)
            assert tuner.predict(X)[:, 2].sum() == 0


def test_tuner_fold_models_pickle_and_parallel():
    """Check that a tuner predicting with fold models pickles, and n_jobs=2 agrees."""
    base = OneVsRestClassifier(LinearSVC(random_state=0))
    serial = MultilabelThresholdTuner(base, cv=3).fit(X, Y)
    parallel = MultilabelThresholdTuner(base, cv=3, n_jobs=2).fit(X, Y)
    np.testing.assert_array_equal(parallel.thresholds_, serial.thresholds_)
    np.testing.assert_array_equal(parallel.predict(X), serial.predict(X))
    restored = pickle.loads(pickle.dumps(serial))
    np.testing.assert_array_equal(restored.predict(X), serial.predict(X))
    assert len(restored.estimators_) == 3

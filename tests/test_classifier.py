import pickle

import joblib
import keras
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from _helpers import ONE_NETWORK, small, tensorflow_log_records
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, RepeatedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from skmultilabelnn import KerasMultilabelClassifier, build_cnn

X, Y = make_multilabel_classification(
    n_samples=120, n_features=6, n_classes=3, n_labels=2, random_state=1
)
X = X.astype(np.float64)


@pytest.fixture(scope="module")
def fitted():
    return small().fit(X, Y)


def test_is_a_multilabel_classifier():
    """Check that scikit-learn sees a multilabel classifier."""
    clf = KerasMultilabelClassifier()
    assert is_classifier(clf)
    assert get_tags(clf).classifier_tags.multi_label
    assert isinstance(clf, keras.Model) is False


def test_predict_proba_shape_and_range(fitted):
    """Check that probabilities have one column per label, in [0, 1], never squeezed."""
    proba = fitted.predict_proba(X)
    assert proba.shape == (X.shape[0], 3)
    assert np.all((proba >= 0) & (proba <= 1))
    assert fitted.predict_proba(X[:1]).shape == (1, 3)
    assert fitted.predict(X[:1]).shape == (1, 3)


def test_fitted_attributes(fitted):
    """Check the fitted attributes of an indicator target."""
    np.testing.assert_array_equal(fitted.classes_, [0, 1, 2])
    assert fitted.n_outputs_ == 3
    assert fitted.out_activation_ == "sigmoid"
    assert fitted.target_type_ == "multilabel-indicator"
    assert fitted.n_features_in_ == 6
    assert fitted.n_iter_ == 3 == len(fitted.history_["loss"])


@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_predict_applies_threshold(fitted, threshold):
    """Check that predict is probability >= threshold, with no refit."""
    model = fitted.model_
    clf = fitted.set_params(threshold=threshold)
    y_pred = clf.predict(X)
    assert clf.model_ is model
    np.testing.assert_array_equal(y_pred, clf.predict_proba(X) >= threshold)
    assert y_pred.dtype == Y.dtype
    fitted.set_params(threshold=0.5)


def test_per_label_threshold(fitted):
    """Check that an array threshold applies one value per label."""
    threshold = np.array([0.0, 1.0, 0.5])
    fitted.set_params(threshold=threshold)
    try:
        y_pred = fitted.predict(X)
    finally:
        fitted.set_params(threshold=0.5)
    proba = fitted.predict_proba(X)
    assert y_pred[:, 0].all()
    np.testing.assert_array_equal(y_pred, proba >= threshold)


@pytest.mark.parametrize(
    "threshold, message",
    [
        ([0.5, 0.5], "threshold has 2 values but the model predicts 3 labels"),
        (np.array([0.5, 1.5, 0.5]), r"got 1.5 for the label at index 1"),
    ],
)
def test_bad_threshold_at_fit_and_predict(fitted, threshold, message):
    """Check that a bad threshold is refused at fit and at predict."""
    with pytest.raises(ValueError, match=message):
        small(threshold=threshold).fit(X, Y)
    fitted.set_params(threshold=threshold)
    try:
        with pytest.raises(ValueError, match=message):
            fitted.predict(X)
    finally:
        fitted.set_params(threshold=0.5)


def test_threshold_out_of_range_scalar():
    """Check that a scalar threshold outside [0, 1] is refused at fit."""
    with pytest.raises(ValueError, match="'threshold' parameter .* Got 1.5"):
        small(threshold=1.5).fit(X, Y)


@pytest.mark.parametrize(
    "container",
    [np.asarray, sp.csr_matrix, lambda y: y.tolist(), pd.DataFrame],
    ids=["ndarray", "sparse", "lists", "dataframe"],
)
def test_target_containers_give_same_predictions(fitted, container):
    """Check that every container of the same indicator y trains the same network."""
    clf = small().fit(X, container(Y))
    np.testing.assert_array_equal(clf.predict_proba(X), fitted.predict_proba(X))
    y_pred = clf.predict(X)
    assert y_pred.shape == Y.shape
    # a sparse y is predicted as CSR, as OneVsRestClassifier does
    assert sp.issparse(y_pred) == (container is sp.csr_matrix)
    y_pred = y_pred.toarray() if sp.issparse(y_pred) else y_pred
    np.testing.assert_array_equal(y_pred, fitted.predict(X))


def test_dataframe_columns_become_classes():
    """Check that a DataFrame y gives its column names as classes_."""
    clf = small(epochs=1).fit(X, pd.DataFrame(Y, columns=["news", "sport", "tech"]))
    np.testing.assert_array_equal(clf.classes_, ["news", "sport", "tech"])


def test_one_label_per_row_stays_multilabel():
    """Check that y with one label in every row is not switched to multiclass argmax."""
    y = np.eye(3, dtype=int)[np.arange(X.shape[0]) % 3]
    clf = small(threshold=0.0).fit(X, y)
    assert clf.target_type_ == "multilabel-indicator"
    assert clf.out_activation_ == "sigmoid"
    # with threshold 0 every label is predicted; argmax would give one per row
    np.testing.assert_array_equal(clf.predict(X[:5]), np.ones((5, 3)))
    assert not np.allclose(clf.predict_proba(X).sum(axis=1), 1)


def test_constant_label_columns_train():
    """Check that label columns of all 0 or all 1 train without error."""
    y = Y.copy()
    y[:, 0] = 0
    y[:, 1] = 1
    clf = small(epochs=5).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba[:, 0].mean() < 0.5 < proba[:, 1].mean()


def test_binary_string_labels():
    """Check binary y: shape (n, 2) probabilities and the original labels back."""
    y = np.where(Y[:, 0] == 1, "spam", "ham")
    clf = small(epochs=5).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["ham", "spam"])
    proba = clf.predict_proba(X)
    assert proba.shape == (X.shape[0], 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    assert set(clf.predict(X)) <= {"ham", "spam"}
    clf.set_params(threshold=0.0)
    assert (clf.predict(X) == "spam").all()
    clf.set_params(threshold=0.75)
    np.testing.assert_array_equal(clf.predict(X) == "spam", proba[:, 1] >= 0.75)


def test_multiclass_string_labels():
    """Check multiclass y: softmax probabilities and the argmax class back."""
    y = np.array(["red", "green", "blue"])[np.arange(X.shape[0]) % 3]
    clf = small(epochs=2).fit(X, y)
    assert clf.out_activation_ == "softmax"
    proba = clf.predict_proba(X)
    assert proba.shape == (X.shape[0], 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def tutorial_cnn(meta):
    """The seed tutorial's CNN: Conv2D 32, Conv2D 64, MaxPooling, Dense sigmoid."""
    model = keras.Sequential(
        [
            keras.Input(shape=meta["X_shape_"][1:]),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(meta["n_outputs_"], activation="sigmoid"),
        ]
    )
    return model


@pytest.fixture(scope="module")
def images():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, size=(16, 4))
    X_img = rng.rand(16, 32, 32, 3).astype(np.float32)
    # make each label visible in one colour channel corner
    X_img[:, :8, :8, 0] += y[:, [0]][:, :, None]
    return X_img, y


@pytest.mark.parametrize(
    "model", [tutorial_cnn, build_cnn], ids=["callable", "build_cnn"]
)
def test_cnn_on_image_input(images, model):
    """Check that a CNN trains and predicts on (n, 32, 32, 3) images."""
    X_img, y = images
    clf = KerasMultilabelClassifier(
        model=model, epochs=1, batch_size=8, random_state=0, **ONE_NETWORK
    )
    clf.fit(X_img, y)
    assert clf.predict_proba(X_img).shape == (16, 4)
    assert clf.predict(X_img[:1]).shape == (1, 4)
    assert clf.n_features_in_ == 32
    with pytest.raises(
        ValueError, match=r"samples of shape \(32, 32, 1\).*\(32, 32, 3\)"
    ):
        clf.predict(X_img[..., :1])


def test_keras_model_instance_is_not_modified():
    """Check that a given Keras model is copied, so the caller's weights stay."""
    user_model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(3, activation="sigmoid")]
    )
    user_model.compile(optimizer="sgd", loss="binary_crossentropy")
    weights_before = [w.copy() for w in user_model.get_weights()]
    clf = KerasMultilabelClassifier(model=user_model, epochs=2).fit(X, Y)
    for before, after in zip(weights_before, user_model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert clf.model_ is not user_model
    assert clf.model_.optimizer.__class__.__name__ == "SGD"


@pytest.mark.parametrize(
    "units, message",
    [(5, "model has 5 output units, but y needs 3"), (3, None)],
)
def test_model_output_mismatch_is_clear(units, message):
    """Check that a model with the wrong number of outputs gives a readable error."""

    def build(meta):
        return keras.Sequential(
            [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(units)]
        )

    clf = KerasMultilabelClassifier(model=build, loss="mse", epochs=1)
    if message is None:
        clf.fit(X, Y)
    else:
        with pytest.raises(ValueError, match=message):
            clf.fit(X, Y)


def test_model_input_mismatch_is_clear():
    """Check that a model built for other samples gives a readable error."""
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, activation="sigmoid")]
    )
    with pytest.raises(
        ValueError, match=r"model takes samples of shape \(4,\), but X .* \(6,\)"
    ):
        KerasMultilabelClassifier(model=model, epochs=1).fit(X, Y)


def test_unseeded_fit_after_seeded_fit():
    """Check that scikeras' op-determinism defect is avoided: seeded, then unseeded."""
    small(random_state=0, dropout=0.2).fit(X, Y)
    small(random_state=None, dropout=0.2).fit(X, Y)


def test_same_random_state_same_predictions():
    """Check that one random_state gives identical predictions, dropout included."""
    first = small(random_state=3, dropout=0.2, epochs=4).fit(X, Y).predict_proba(X)
    second = small(random_state=3, dropout=0.2, epochs=4).fit(X, Y).predict_proba(X)
    other = small(random_state=4, dropout=0.2, epochs=4).fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_global_random_state_restored():
    """Check that a seeded fit leaves NumPy's global generator as it was."""
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    small(random_state=0, epochs=1).fit(X, Y)
    assert np.random.rand() == expected


def test_learning_rate_and_routed_optimizer_params():
    """Check that learning_rate reaches the optimizer and optimizer__ params win."""
    clf = small(learning_rate=0.05, epochs=1).fit(X, Y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.05)
    clf = small(optimizer__learning_rate=0.002, optimizer__beta_1=0.8, epochs=1).fit(
        X, Y
    )
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.002)
    assert float(clf.model_.optimizer.beta_1) == pytest.approx(0.8)


@pytest.mark.parametrize(
    "y", [Y, np.arange(X.shape[0]) % 3], ids=["multilabel", "multiclass"]
)
def test_default_loss_takes_routed_params(y):
    """Check the default loss per target, and that loss__ parameters reach it."""
    clf = small(epochs=1, loss__label_smoothing=0.1).fit(X, y)
    expected = "BinaryCrossentropy" if y.ndim == 2 else "CategoricalCrossentropy"
    assert type(clf.model_.loss).__name__ == expected
    assert clf.model_.loss.label_smoothing == pytest.approx(0.1)


@pytest.mark.parametrize("metrics", [["binary_accuracy"], ("binary_accuracy",)])
def test_metrics_are_recorded(metrics):
    """Check that Keras metrics given as a list or tuple are tracked per epoch."""
    clf = small(epochs=2, metrics=metrics).fit(X, Y)
    assert len(clf.history_["binary_accuracy"]) == 2


def test_get_set_params_and_clone_keep_routed_params():
    """Check that routed parameters survive get_params, set_params and clone."""
    clf = small(optimizer__beta_1=0.8)
    assert clf.get_params()["optimizer__beta_1"] == 0.8
    clf.set_params(optimizer__beta_1=0.7, hidden_layer_sizes=(4, 4))
    cloned = clone(clf)
    assert cloned.get_params()["optimizer__beta_1"] == 0.7
    assert cloned.hidden_layer_sizes == (4, 4)
    cloned.fit(X, Y)
    assert len(cloned.model_.layers) == 4  # input, two hidden, output


def test_early_stopping_stops():
    """Check that early stopping ends training before the last epoch."""
    clf = small(
        epochs=200,
        early_stopping=True,
        n_iter_no_change=2,
        validation_split=0.25,
        learning_rate=0.05,
    ).fit(X, Y)
    assert clf.n_iter_ < 200
    assert "val_loss" in clf.history_


def test_pipeline_with_scaler():
    """Check that the classifier works after a StandardScaler in a Pipeline."""
    pipe = make_pipeline(StandardScaler(), small(epochs=5))
    pipe.fit(X, Y)
    assert pipe.predict(X).shape == Y.shape
    assert 0 <= pipe.score(X, Y) <= 1


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search(n_jobs):
    """Check GridSearchCV over threshold, hidden sizes and epochs with f1_micro."""
    grid = GridSearchCV(
        small(),
        {"threshold": [0.3, 0.5], "hidden_layer_sizes": [(4,), (8,)], "epochs": [1, 3]},
        scoring="f1_micro",
        cv=2,
        n_jobs=n_jobs,
    )
    grid.fit(X, Y)
    assert len(grid.cv_results_["params"]) == 8
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_estimator_.predict(X).shape == Y.shape


def test_cross_validate_repeated_kfold():
    """Check cross_validate with RepeatedKFold and several multilabel scorers."""
    results = cross_validate(
        small(epochs=2),
        X,
        Y,
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=1),
        scoring=["accuracy", "f1_micro"],
    )
    assert results["test_accuracy"].shape == (4,)
    assert np.all((results["test_f1_micro"] >= 0) & (results["test_f1_micro"] <= 1))


@pytest.mark.parametrize("dump, load", [(pickle.dumps, pickle.loads), ("joblib", None)])
def test_pickle_and_joblib_round_trip(fitted, tmp_path, dump, load):
    """Check that a fitted classifier saved and loaded predicts identically."""
    if dump == "joblib":
        path = tmp_path / "clf.joblib"
        joblib.dump(fitted, path)
        restored = joblib.load(path)
    else:
        restored = load(dump(fitted))
    np.testing.assert_array_equal(restored.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_partial_fit_and_warm_start():
    """Check that partial_fit and warm_start continue training the same network."""
    clf = small().partial_fit(X, Y)
    model = clf.model_
    clf.partial_fit(X, Y)
    assert clf.model_ is model and clf.n_iter_ == 2
    warm = small(epochs=2, warm_start=True).fit(X, Y)
    model = warm.model_
    warm.fit(X, Y)
    assert warm.model_ is model and warm.n_iter_ == 4


def test_partial_fit_classes():
    """Check that partial_fit learns every class given, even if a batch misses one."""
    y = np.arange(X.shape[0]) % 3
    clf = small().partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])
    assert clf.predict_proba(X).shape == (X.shape[0], 3)
    clf.partial_fit(X, y)


@pytest.mark.parametrize(
    "X_bad, y_bad, message, error",
    [
        (
            np.where(np.eye(120, 6) == 1, np.nan, X),
            Y,
            "Input X contains NaN",
            ValueError,
        ),
        (
            np.where(np.eye(120, 6) == 1, np.inf, X),
            Y,
            "Input X contains infinity",
            ValueError,
        ),
        (X, np.where(Y == 1, 2, 0), r"0s and 1s .* got values \[0, 2\]", ValueError),
        (X, Y + np.eye(120, 3, dtype=int) * 2, "Multiclass-multioutput", ValueError),
        (X[:100], Y, r"inconsistent numbers of samples: \[100, 120\]", ValueError),
        (X[:0], Y[:0], "0 sample", ValueError),
        (X, None, "requires y to be passed", ValueError),
        (X[:, 0], Y, "Expected 2D array, got 1D array", ValueError),
    ],
    ids=[
        "nan",
        "inf",
        "y-values",
        "multioutput",
        "n-samples",
        "empty",
        "no-y",
        "1d-X",
    ],
)
def test_bad_fit_input(X_bad, y_bad, message, error):
    """Check that bad training data raises a clear error."""
    with pytest.raises(error, match=message):
        small(epochs=1).fit(X_bad, y_bad)


def test_bad_predict_input(fitted):
    """Check the errors of predict: wrong feature count, NaN, empty X."""
    with pytest.raises(
        ValueError,
        match="X has 5 features, but KerasMultilabelClassifier is expecting 6",
    ):
        fitted.predict(X[:, :5])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.predict_proba(np.full((2, 6), np.nan))
    with pytest.raises(ValueError, match="0 sample"):
        fitted.predict(X[:0])


def test_predict_before_fit():
    """Check that an unfitted classifier raises NotFittedError."""
    for method in ("predict", "predict_proba"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(small(), method)(X)


def test_bad_parameter():
    """Check that invalid parameters are reported with their name at fit."""
    with pytest.raises(ValueError, match="'dropout' parameter .* Got 1.5"):
        small(dropout=1.5).fit(X, Y)
    with pytest.raises(ValueError, match="'epochs' parameter .* Got 0"):
        small(epochs=0).fit(X, Y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_inputs_are_not_modified(dtype):
    """Check that fit and predict leave X, y and sample_weight as they were."""
    X_in, y_in = X.astype(dtype), Y.copy()
    weights = np.linspace(0.5, 2.0, X.shape[0])
    copies = X_in.copy(), y_in.copy(), weights.copy()
    clf = small(epochs=2).fit(X_in, y_in, sample_weight=weights)
    clf.predict(X_in)
    for original, copy in zip((X_in, y_in, weights), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


def test_sample_weight_errors():
    """Check sample_weight errors: all zero, and only one class left."""
    with pytest.raises(ValueError, match="zero"):
        small(epochs=1).fit(X, Y, sample_weight=np.zeros(X.shape[0]))
    y = np.arange(X.shape[0]) % 2
    with pytest.raises(ValueError, match="Only one class has samples with non-zero"):
        small(epochs=1).fit(X, y, sample_weight=y)


def test_zero_weight_samples_are_left_out():
    """Check that rows of weight 0 have no effect on training."""
    weights = np.r_[np.ones(80), np.zeros(40)]
    with_zeros = small(shuffle=False).fit(X, Y, sample_weight=weights)
    without = small(shuffle=False).fit(X[:80], Y[:80])
    np.testing.assert_allclose(
        with_zeros.predict_proba(X), without.predict_proba(X), rtol=1e-5
    )


def test_no_retracing_warnings_across_fits():
    """Check that many fits and predicts log no TensorFlow retracing warning."""
    with tensorflow_log_records() as records:
        for seed in range(7):
            small(random_state=seed, epochs=1).fit(X, Y).predict(X)
    assert not [r for r in records if "retracing" in r.getMessage()]


@pytest.mark.parametrize("sizes, expected", [(8, [8]), ((4, 2), [4, 2])])
def test_hidden_layer_sizes_int_or_sequence(sizes, expected):
    """Check that an int gives one hidden layer, as in MLPClassifier."""
    clf = small(hidden_layer_sizes=sizes, epochs=1).fit(X, Y)
    dense = [layer.units for layer in clf.model_.layers[1:-1]]
    assert dense == expected


@pytest.mark.parametrize("sizes", [(8.5,), (0,), ("8",)])
def test_bad_hidden_layer_sizes(sizes):
    """Check that non-integer or empty layers are refused, not silently cut."""
    with pytest.raises(ValueError, match="hidden_layer_sizes must be an int or"):
        small(hidden_layer_sizes=sizes, epochs=1).fit(X, Y)


@pytest.mark.parametrize("threshold", [True, np.True_])
def test_boolean_threshold_is_refused(fitted, threshold):
    """Check that threshold=True is refused at fit and predict, not read as 1.0."""
    with pytest.raises(ValueError, match="threshold.* must be a float in"):
        small(threshold=threshold, epochs=1).fit(X, Y)
    fitted.set_params(threshold=threshold)
    try:
        with pytest.raises(ValueError, match="threshold.* must be a float in"):
            fitted.predict(X)
    finally:
        fitted.set_params(threshold=0.5)


def test_label_sets_are_refused_with_advice():
    """Check that y given as label sets points to MultiLabelBinarizer."""
    y = [("a", "b"), ("c",)] * 60
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        small(epochs=1).fit(X, y)


def test_predict_on_other_sample_dimensions(fitted):
    """Check that a 3-D X on a model fitted on 2-D X names the sample shapes."""
    with pytest.raises(ValueError, match=r"samples of shape \(2, 3\).*\(6,\)"):
        fitted.predict_proba(X.reshape(-1, 2, 3))


def test_predict_leaves_loggers_alone(fitted):
    """Check that concurrent predictions change no process-wide logging level."""
    import logging
    from concurrent.futures import ThreadPoolExecutor

    logger = logging.getLogger("tensorflow")
    level = logger.level
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fitted.predict_proba, [X] * 16))
    assert logger.level == level


def test_lambda_layer_is_refused_at_fit():
    """Check that a model with a Lambda layer (not unpicklable safely) is refused."""

    def build(meta):
        inputs = keras.Input((meta["n_features_in_"],))
        hidden = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
        outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(hidden)
        return keras.Model(inputs, outputs)

    with pytest.raises(ValueError, match="Lambda layer"):
        KerasMultilabelClassifier(model=build, epochs=1).fit(X, Y)


@pytest.mark.parametrize(
    "change",
    [
        {"ensemble_size": 3},
        {"hidden_layer_sizes": (5,)},
        {"dropout": 0.5},
        {"model__units": 3},
    ],
)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_warm_start_refuses_a_changed_network(tiny_data, change, method):
    """Check that training on a fitted network refuses parameters it no longer has."""
    X, Y = tiny_data
    clf = small(hidden_layer_sizes=(4,), epochs=1, ensemble_size=2, warm_start=True)
    clf.fit(X, Y)
    weights = [w.copy() for w in clf.model_.get_weights()]
    name = next(iter(change))
    clf.set_params(**change)
    with pytest.raises(ValueError, match=rf"{name} is .* warm_start=False"):
        getattr(clf, method)(X, Y)
    for before, after in zip(weights, clf.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_warm_start_accepts_equal_parameters(tiny_data):
    """Check that equal values given anew (a list for a tuple) still warm start."""
    X, Y = tiny_data
    clf = small(hidden_layer_sizes=(4,), epochs=1, warm_start=True).fit(X, Y)
    clf.set_params(hidden_layer_sizes=[4], epochs=2).fit(X, Y)
    assert clf.n_iter_ == 3


def test_label_sets_leave_out_rows_of_zero_weight(tiny_data):
    """Check that a label set seen only in rows of weight 0 is not a candidate."""
    X, Y = tiny_data
    Y = Y.copy()
    Y[0] = [1, 1, 1]
    Y[1:][(Y[1:] == 1).all(axis=1)] = [1, 1, 0]
    weight = np.ones(X.shape[0])
    weight[0] = 0
    clf = small(hidden_layer_sizes=(4,), epochs=1).fit(X, Y, sample_weight=weight)
    assert [1, 1, 1] not in clf.label_sets_.tolist()
    clf = small(hidden_layer_sizes=(4,), epochs=1).fit(X, Y)
    assert [1, 1, 1] in clf.label_sets_.tolist()

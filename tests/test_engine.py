"""The training engine: compiled epochs, randomness, caching, callbacks, failures."""

import contextlib
import gc
import io
import pickle
import random
import threading
import warnings
import weakref

import joblib
import keras
import numpy as np
import pytest
from _helpers import count_calls, small, tensorflow_log_records
from sklearn.model_selection import KFold, cross_val_score

from skmultilabelnn import _engine
from skmultilabelnn._engine import _buckets, _compiled, _inference, _loop, _prefetch


@pytest.fixture
def keras_fit_only(monkeypatch):
    """Train through Keras' Model.fit, as on a backend without an engine."""
    monkeypatch.setattr(_engine, "has_engine", lambda: False)


class _Interrupt(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt


def test_same_steps_as_keras_fit(multilabel_data, keras_fit_only, monkeypatch):
    """Check that the engine takes Model.fit's gradient steps, short last batch too.

    Without shuffling both see the same batches (120 rows: three of 32, one of
    24), so the trained weights agree to float precision.
    """
    X, Y = multilabel_data
    weights = np.linspace(0.5, 2.0, X.shape[0])
    params = dict(epochs=2, shuffle=False, dropout=0.0, batch_size=32)
    by_keras = small(**params).fit(X, Y, sample_weight=weights)
    monkeypatch.undo()
    by_engine = small(**params).fit(X, Y, sample_weight=weights)
    for ours, theirs in zip(
        by_engine.model_.get_weights(), by_keras.model_.get_weights(), strict=True
    ):
        np.testing.assert_allclose(ours, theirs, rtol=2e-4, atol=1e-6)
    np.testing.assert_allclose(
        by_engine.history_["loss"], by_keras.history_["loss"], rtol=2e-4
    )


def test_keras_fit_fallback_keeps_semantics(multilabel_data, keras_fit_only):
    """Check that Model.fit training keeps class weights, validation and history."""
    X, Y = multilabel_data
    clf = small(class_weight="balanced", validation_split=0.25).fit(X, Y)
    assert clf.n_iter_ == 3
    assert set(clf.history_) == {"loss", "val_loss", "val_roc_auc"}
    assert clf.predict_proba(X).shape == Y.shape


def test_threads_give_the_same_scores_as_one_job(multilabel_data):
    """Check that seeded fits in two threads give the models of one thread."""
    X, Y = multilabel_data
    clf = small(dropout=0.2, epochs=4)
    cv = KFold(3, shuffle=True, random_state=0)
    one = cross_val_score(clf, X, Y, cv=cv, scoring="f1_micro", n_jobs=1)
    with joblib.parallel_backend("threading"):
        two = cross_val_score(clf, X, Y, cv=cv, scoring="f1_micro", n_jobs=2)
    np.testing.assert_array_equal(one, two)


def test_other_threads_drawing_random_numbers_change_nothing(multilabel_data):
    """Check that a seeded fit ignores, and leaves alone, the global generators."""
    X, Y = multilabel_data
    expected = small(dropout=0.2).fit(X, Y).predict_proba(X)
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.random()
            np.random.rand()

    thread = threading.Thread(target=draw)
    thread.start()
    try:
        got = small(dropout=0.2).fit(X, Y).predict_proba(X)
    finally:
        stop.set()
        thread.join()
    np.testing.assert_array_equal(got, expected)

    random.seed(5)
    np.random.seed(5)
    states = random.getstate(), np.random.get_state()[1].copy()
    small(dropout=0.2).fit(X, Y)
    assert random.getstate() == states[0]
    np.testing.assert_array_equal(np.random.get_state()[1], states[1])


def test_unseeded_fits_differ(multilabel_data):
    """Check that random_state=None stays random."""
    X, Y = multilabel_data
    first = small(random_state=None).fit(X, Y).predict_proba(X)
    second = small(random_state=None).fit(X, Y).predict_proba(X)
    assert not np.array_equal(first, second)


def test_partial_fit_after_pickling_is_reproducible(multilabel_data):
    """Check that partial_fit after pickling continues the same shuffles and dropout."""
    X, Y = multilabel_data
    straight = small(dropout=0.3).partial_fit(X, Y).partial_fit(X, Y)
    restored = pickle.loads(pickle.dumps(small(dropout=0.3).partial_fit(X, Y)))
    restored.partial_fit(X, Y)
    np.testing.assert_allclose(
        restored.predict_proba(X), straight.predict_proba(X), rtol=1e-5
    )


def test_interrupted_fit_keeps_the_earlier_state(multilabel_data):
    """Check that a fit interrupted midway leaves the fitted estimator as it was."""
    X, Y = multilabel_data
    clf = small(threshold="auto", threshold_cv=3).fit(X, Y)
    model, thresholds, history = clf.model_, clf.thresholds_, dict(clf.history_)
    proba = clf.predict_proba(X)
    clf.set_params(callbacks=[_Interrupt(at_epoch=1)], hidden_layer_sizes=(4,))
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, Y[:, :2])
    assert clf.model_ is model
    assert clf.thresholds_ is thresholds
    assert dict(clf.history_) == history and clf.n_classes_ == 3
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_interrupted_warm_start_keeps_the_weights(multilabel_data):
    """Check that an interrupted warm start restores the network it was training."""
    X, Y = multilabel_data
    clf = small(warm_start=True).fit(X, Y)
    proba, n_iter = clf.predict_proba(X), clf.n_iter_
    clf.set_params(callbacks=[_Interrupt(at_epoch=n_iter + 1)])
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, Y)
    assert clf.n_iter_ == n_iter
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_unfitted_estimator_stays_unfitted_after_a_failed_fit(multilabel_data):
    """Check that a first fit that fails leaves no fitted attribute behind."""
    X, Y = multilabel_data
    clf = small(callbacks=[_Interrupt(at_epoch=0)])
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, Y)
    assert not hasattr(clf, "model_") and not hasattr(clf, "n_features_in_")


def test_compiled_functions_are_shared_by_one_architecture(multilabel_data):
    """Check that two fits of one architecture share one compiled network."""
    X, Y = multilabel_data
    first, second = small().fit(X, Y), small(random_state=1).fit(X, Y[:, :2])
    other = small(hidden_layer_sizes=(5,)).fit(X, Y)
    network = _compiled.compiled_network(first.model_)
    assert network is _compiled.compiled_network(small().fit(X[:50], Y[:50]).model_)
    assert network is not _compiled.compiled_network(second.model_)
    assert network is not _compiled.compiled_network(other.model_)
    assert network.template is not first.model_


def test_models_built_by_a_function_share_one_compiled_network(multilabel_data):
    """Check that fits of a ``model=`` function building a Sequential model
    from ``keras.Input`` (a new input layer name each time: ``input_layer``,
    ``input_layer_1``) share one compiled network, and that another width or
    activation does not."""
    X, Y = multilabel_data

    def build(meta, units=5, activation="relu"):
        return keras.Sequential(
            [
                keras.Input(shape=(meta["n_features_in_"],)),
                keras.layers.Dense(units, activation=activation),
                keras.layers.Dense(meta["n_outputs_"], activation="sigmoid"),
            ]
        )

    def network(**params):
        model = small(model=build, **params).fit(X, Y).model_
        return _compiled.compiled_network(model)

    first = network()
    assert network(random_state=1) is first
    assert network(model__units=6) is not first
    assert network(model__activation="tanh") is not first


def test_cache_is_bounded_and_keeps_no_model_alive(multilabel_data):
    """Check that models are freed with their estimators; the cache stays small."""
    X, Y = multilabel_data
    refs = []
    for units in range(1, _compiled.MAX_ENTRIES + 3):
        clf = small(hidden_layer_sizes=(units,), epochs=1).fit(X, Y)
        clf.predict_proba(X[:3])
        refs.append(weakref.ref(clf.model_))
        del clf
    gc.collect()
    assert not [ref for ref in refs if ref() is not None]
    assert len(_compiled._CACHE) <= _compiled.MAX_ENTRIES


def test_per_epoch_callbacks_see_the_trained_weights(multilabel_data):
    """Check that a user callback runs each epoch and sees that epoch's weights."""
    X, Y = multilabel_data
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((epoch, logs["loss"], self.model.get_weights()[0].copy()))

    clf = small(callbacks=[Record()], epochs=4).fit(X, Y)
    assert [epoch for epoch, *_ in seen] == [0, 1, 2, 3]
    assert [loss for _, loss, _ in seen] == clf.history_["loss"]
    assert not np.array_equal(seen[0][2], seen[1][2])
    np.testing.assert_array_equal(seen[-1][2], clf.model_.get_weights()[0])


def test_progress_bar_counts_batches(multilabel_data):
    """Check that verbose=1 shows each epoch's real batch count."""
    X, Y = multilabel_data
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        small(verbose=1, epochs=2, batch_size=16).fit(X, Y)
    text = output.getvalue()
    assert "8/8" in text and "Epoch 2/2" in text
    assert "32/8" not in text


def test_metrics_and_validation_in_history(multilabel_data):
    """Check that Keras metrics are recorded for training and validation rows."""
    X, Y = multilabel_data
    clf = small(metrics=["binary_accuracy"], validation_split=0.25).fit(X, Y)
    assert set(clf.history_) == {
        "loss",
        "binary_accuracy",
        "val_loss",
        "val_binary_accuracy",
        "val_roc_auc",
    }
    assert all(0 <= value <= 1 for value in clf.history_["val_binary_accuracy"])


def _nan_network(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(inputs)
    return keras.Model(inputs, keras.layers.Rescaling(float("nan"))(outputs))


def test_non_finite_loss_is_reported(multilabel_data):
    """Check that a loss that becomes NaN stops the fit with advice, not silent NaN."""
    X, Y = multilabel_data
    with pytest.raises(ValueError, match="Scale X .* or lower learning_rate"):
        small(model=_nan_network, epochs=2).fit(X, Y)


def test_non_finite_outputs_are_reported(multilabel_data):
    """Check that predicting NaN probabilities raises a clear error."""
    X, Y = multilabel_data
    clf = small().fit(X, Y)
    clf.model_.set_weights([w * np.nan for w in clf.model_.get_weights()])
    for method in (clf.predict_proba, clf.predict):
        with pytest.raises(ValueError, match="not finite .* Scale X"):
            method(X)


def test_prediction_reads_current_weights(multilabel_data):
    """Check that compiled inference follows weights changed after training."""
    X, Y = multilabel_data
    clf = small().fit(X, Y)
    before = clf.predict_proba(X[:4])
    clf.model_.set_weights([w * 0 for w in clf.model_.get_weights()])
    np.testing.assert_allclose(clf.predict_proba(X[:4]), 0.5)
    assert not np.allclose(before, 0.5)
    assert _inference.ROW_MULTIPLE == 32


def test_huge_sample_weight_named_when_training_diverges(tiny_data):
    """Check that a fit diverging under huge weights names sample_weight."""
    X, Y = tiny_data
    with pytest.raises(ValueError, match="diverged.*scale sample_weight down"):
        small(epochs=3).fit(X, Y, sample_weight=np.full(X.shape[0], 1e20))


def test_fits_of_other_sizes_reuse_one_trace_on_tensorflow(multilabel_data):
    """Check that one architecture traces its epoch, inference and validation
    loss at most twice.

    Once for the first shapes, once relaxed to any size (``reduce_retracing``):
    never again for other row counts, nor for a fit's later epochs.
    """
    if keras.backend.backend() != "tensorflow":
        pytest.skip("counts TensorFlow's traces")
    X, Y = multilabel_data
    for start in range(4):
        clf = small(hidden_layer_sizes=(7,), epochs=3, validation_split=0.2)
        clf.fit(X[start:], Y[start:])
        clf.predict_proba(X[: 40 + start])
    network = _compiled.compiled_network(clf.model_)
    traces = [
        f.traced.experimental_get_tracing_count() for f in network._training.values()
    ]
    assert traces and max(traces) <= 2
    assert network.predict_function().traced.experimental_get_tracing_count() <= 2
    losses = [f.experimental_get_tracing_count() for f in network._losses.values()]
    assert losses and max(losses) <= 2


def _jax_compilations(network):
    epochs = sum(f.compiled._cache_size() for f in network._training.values())
    losses = sum(f._cache_size() for f in network._losses.values())
    return epochs, network.predict_function()._cache_size(), losses


def _nine_hundred_rows_on_jax():
    """``(X, Y)``, 900 rows for fits of nearby sizes; skips unless on JAX."""
    if keras.backend.backend() != "jax":
        pytest.skip("counts JAX's compilations")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(900, 6)).astype("float32")
    return X, (rng.random((900, 3)) < 0.4).astype(int)


def test_fits_of_nearby_sizes_share_compilations_on_jax():
    """Check that ten fits of 900, 899, ..., 891 rows compile their epoch
    once (ten times before the shapes were bucketed, twice on a grid of
    eight sizes per octave: 896 and 960 padded rows), and that
    predictions on 600 to 690 rows and the validation rows compile at most
    three times (five before), and the validation loss at most twice (its
    operations compiled one by one for each row count before)."""
    X, Y = _nine_hundred_rows_on_jax()
    for start in range(10):
        clf = small(hidden_layer_sizes=(11,), epochs=2, validation_split=0.1)
        clf.fit(X[start:], Y[start:]).predict_proba(X[: 600 + 10 * start])
    network = _compiled.compiled_network(clf.model_)
    epochs, inference, losses = _jax_compilations(network)
    assert epochs == 1
    assert 1 <= inference <= 3
    assert 1 <= losses <= 2


def test_padding_grids(monkeypatch):
    """Check that batches pad to a grid of two sizes per octave and small
    arrays of rows to a power of two, a block's batches never beyond its full
    blocks' size, and rows whose padding to a power of two would take more
    than the bound to their finer bucket."""
    batches = np.arange(29 * 4).reshape(29, 4)
    padded, n_real = _buckets.pad_batches(batches)
    assert padded.shape == (32, 4) and n_real == 29
    assert _buckets.pad_batches(np.zeros((33, 4)))[0].shape == (48, 4)
    np.testing.assert_array_equal(padded[:29], batches)
    assert (padded[29:] == -1).all()
    assert _buckets.pad_batches(batches, most=30)[0].shape == (30, 4)
    assert _buckets.pad_batches(batches, most=20)[0].shape == (29, 4)
    rows = np.ones((900, 10), np.float32)
    assert _buckets.pad_rows(rows).shape == (1024, 10)
    # 124 rows of 40 bytes to reach 1,024 rows: over a bound of 4,000 bytes
    monkeypatch.setattr(_buckets, "POWER_OF_TWO_PADDING_BYTES", 4_000)
    padded = _buckets.pad_rows(rows)
    assert padded.shape == (960, 10) and (padded[900:] == 0).all()


def test_padding_to_buckets_changes_no_result(multilabel_data, monkeypatch):
    """Check that padded rows, padded batches and padded prediction chunks
    leave the weights, the history and the probabilities bit-for-bit as they
    are without padding."""
    X, Y = multilabel_data
    X, Y = X[:-3], Y[:-3]  # sizes that are not their own buckets

    def fit():
        clf = small(hidden_layer_sizes=(9,), epochs=4, validation_split=0.2)
        clf.set_params(dropout=0.3, metrics=["binary_accuracy"])
        clf.fit(X, Y)
        return clf.history_, clf.predict_proba(X)

    padded_history, padded_proba = fit()

    def no_padding(n, multiple=1, steps_per_octave=None):
        return -(-n // multiple) * multiple

    for module in (_buckets, _inference, _loop):  # every padding reads bucket there
        monkeypatch.setattr(module, "bucket", no_padding)
    history, proba = fit()
    assert padded_history == history
    np.testing.assert_array_equal(padded_proba, proba)


def _noisy_network(meta):
    """A network with a random layer other than dropout."""
    inputs = keras.Input((meta["n_features_in_"],))
    noisy = keras.layers.GaussianNoise(0.1)(inputs)
    outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(noisy)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize(
    "params, xla",
    [
        ({"dropout": 0.0}, True),
        ({"dropout": 0.3}, True),
        ({"model": _noisy_network}, False),
    ],
)
def test_xla_for_models_without_other_random_layers(
    multilabel_data, monkeypatch, params, xla
):
    """Check that a fit long enough for XLA is compiled with it on TensorFlow,
    dropout included (its numbers drawn with Philox), unless the model has
    another random layer, whose random numbers XLA makes slower."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("XLA is chosen on TensorFlow")
    monkeypatch.setattr(_compiled, "XLA_MIN_STEPS", 1)
    X, Y = multilabel_data
    clf = small(hidden_layer_sizes=(3, 5), epochs=1, **params).fit(X, Y)
    # other tests may have compiled this architecture before, without XLA
    network = _compiled.compiled_network(clf.model_)
    compiled_with = {jit for _, jit, _ in network._training}
    assert (True in compiled_with) == xla


def test_philox_dropout_keeps_tensorflow_dropout_outside_xla():
    """Check that the Philox dropout used under XLA drops and scales as
    TensorFlow's own dropout, with the same mask outside XLA, and that Keras'
    dropout is restored after the block."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("patches TensorFlow's dropout")
    import tensorflow as tf
    from keras.src.backend import random as tf_random

    from skmultilabelnn._compat._keras import philox_dropout

    x = tf.random.stateless_normal((64, 40), seed=[1, 2])
    seed = 5
    expected = tf_random.dropout(x, 0.3, seed=seed).numpy()
    keras_dropout = tf_random.dropout
    with philox_dropout():
        assert tf_random.dropout is not keras_dropout
        got = tf_random.dropout(x, 0.3, seed=seed).numpy()
        xla = tf.function(
            lambda v: tf_random.dropout(v, 0.3, seed=seed), jit_compile=True
        )(x).numpy()
    assert tf_random.dropout is keras_dropout
    np.testing.assert_array_equal(got != 0, expected != 0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    kept = xla != 0
    assert 0.6 < kept.mean() < 0.8
    np.testing.assert_allclose(xla[kept], x.numpy()[kept] / 0.7, rtol=1e-6)


def test_ensembles_of_one_architecture_share_a_compiled_network(multilabel_data):
    """Check that every ensemble of one architecture shares one compiled network."""
    X, Y = multilabel_data
    first = small(ensemble_size=2, hidden_layer_sizes=(5,)).fit(X, Y)
    second = small(ensemble_size=2, hidden_layer_sizes=(5,), random_state=1).fit(X, Y)
    other = small(ensemble_size=2, hidden_layer_sizes=(6,)).fit(X, Y)
    network = _compiled.compiled_network(first.model_)
    assert network is _compiled.compiled_network(second.model_)
    assert network is not _compiled.compiled_network(other.model_)


def test_cross_validation_of_ensembles_prints_nothing(multilabel_data, capfd):
    """Check that a cross-validation of ensembles warns and logs nothing.

    No NumPy copy-keyword DeprecationWarning from Keras variables, no
    TensorFlow retracing warning, however many architectures are fitted.
    """
    X, Y = multilabel_data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for units in (3, 4, 5, 6, 7, 8):
            clf = small(ensemble_size=2, hidden_layer_sizes=(units,), epochs=2)
            cross_val_score(clf, X, Y, cv=KFold(3))
        pickle.loads(pickle.dumps(clf.fit(X, Y)))
    ours = [
        w
        for w in caught
        if "copy keyword" in str(w.message) or "retracing" in str(w.message)
    ]
    assert ours == []
    assert "retracing" not in capfd.readouterr().err


@pytest.mark.parametrize("epochs_per_call", [None, 2])
def test_fused_epochs_train_as_epoch_by_epoch(
    multilabel_data, monkeypatch, epochs_per_call
):
    """Check that epochs run many per compiled call (a fit that needs nothing
    between its epochs) train bit-for-bit the network that one call per epoch
    trains, dropout and shuffling included, also when the epochs take
    several calls, the last one padded."""
    X, Y = multilabel_data
    fused = count_calls(monkeypatch, _loop, "_run_fused")
    if epochs_per_call:
        monkeypatch.setattr(_loop, "FUSED_ROWS", epochs_per_call * X.shape[0])
    params = dict(hidden_layer_sizes=(9, 5), dropout=0.3, epochs=5)
    in_calls = small(**params).fit(X, Y)
    assert fused == [True]
    # a callback may read the weights after each epoch: one call per epoch
    by_epoch = small(callbacks=[keras.callbacks.Callback()], **params).fit(X, Y)
    assert fused == [True]
    for ours, theirs in zip(
        in_calls.model_.get_weights(), by_epoch.model_.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)
    assert in_calls.history_ == by_epoch.history_
    assert len(in_calls.history_["loss"]) == 5


@pytest.mark.parametrize(
    "params",
    [
        dict(dropout=0.3, epochs=4),
        dict(dropout=0.3, early_stopping=True, validation_split=0.2, epochs=6),
    ],
)
def test_a_large_dense_x_trains_from_the_host_as_from_the_device(
    multilabel_data, monkeypatch, params
):
    """Check that a dense X over HOST_X_BYTES, whose rows go to the device a
    block of batches at a time (two blocks an epoch here: 2 + 2 batches, or
    2 + 1 with validation rows), trains the network that a copy of X on the
    device trains, dropout, shuffling and early stopping included."""
    X, Y = multilabel_data
    X = X.astype(np.float32)
    params = dict(hidden_layer_sizes=(9, 5), **params)
    on_device = small(**params).fit(X, Y)
    blocked = count_calls(monkeypatch, _loop, "_in_blocks")
    blocks = count_calls(monkeypatch, _loop, "_dense_rows")
    monkeypatch.setattr(_loop, "HOST_X_BYTES", X.nbytes - 1)
    # 32-row batches of 6 float32 features and 3 float32 targets: 2 a block
    monkeypatch.setattr(_loop, "BLOCK_BYTES", 2 * 32 * (6 + 3) * 4)
    on_host = small(**params).fit(X, Y)
    assert blocked == [True]
    assert len(blocks) == 2 * len(on_host.history_["loss"])
    for ours, theirs in zip(
        on_host.model_.get_weights(), on_device.model_.get_weights(), strict=True
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert on_host.history_.keys() == on_device.history_.keys()
    for name, values in on_device.history_.items():
        np.testing.assert_allclose(on_host.history_[name], values, rtol=1e-5)


def test_prefetched_blocks_come_in_order_and_raise_where_made():
    """Check that blocks made one ahead in a background thread come in order,
    and that an error making one is raised when that block is reached."""

    def blocks():
        yield from ("a", "b")
        raise ValueError("block 2")

    made = _prefetch.prefetched(blocks())
    assert [next(made), next(made)] == ["a", "b"]
    with pytest.raises(ValueError, match="block 2"):
        next(made)
    assert list(_prefetch.prefetched(range(0))) == []


def test_fused_epochs_of_nearby_sizes_share_compilations_on_jax():
    """Check that fits of 900, 899, ..., 891 rows without validation (their
    epochs fused into one call) compile at most twice."""
    X, Y = _nine_hundred_rows_on_jax()
    for start in range(10):
        clf = small(hidden_layer_sizes=(13,), epochs=20)
        clf.fit(X[start:], Y[start:])
    network = _compiled.compiled_network(clf.model_)
    fused = [f.epochs.compiled._cache_size() for f in network._training.values()]
    assert 1 <= sum(fused) <= 2


def test_fused_epochs_of_many_architectures_log_no_retracing(multilabel_data):
    """Check that fused epochs (here under XLA: 2,100 steps), traced once per
    architecture, log no TensorFlow retracing warning however many
    architectures are fitted."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("TensorFlow's retracing warning")
    X, Y = multilabel_data
    with tensorflow_log_records() as records:
        for units in (3, 4, 5, 6, 7, 8):
            small(hidden_layer_sizes=(units,), epochs=140, batch_size=8).fit(X, Y)
    assert not [r for r in records if "retracing" in r.getMessage()]

"""An ensemble's members training several at a time, with the same results."""

import threading

import keras
import numpy as np
import pytest
import scipy.sparse as sp
import sklearn

from skmultilabelnn import KerasMultilabelClassifier, _members, _training
from skmultilabelnn._engine import use_template_replica
from skmultilabelnn._engine._compiled import compiled_network
from skmultilabelnn._members import (
    BYTES_PER_PARAMETER,
    map_members,
    member_bytes,
    member_workers,
)


def _network(n_inputs=6, units=8):
    inputs = keras.Input((n_inputs,))
    return keras.Model(inputs, keras.layers.Dense(units)(inputs))


@pytest.fixture
def cores(monkeypatch):
    """Pretend the machine has ``n`` cores: ``cores(n)``."""

    def set_cores(n):
        monkeypatch.setattr(_members.joblib, "cpu_count", lambda: n)
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)

    return set_cores


def test_member_workers_one_per_core_for_small_members(cores):
    """Check that members alone and small train one per core, at most all."""
    X = np.zeros((100, 6), dtype=np.float32)
    network = _network()
    cores(2)
    assert member_workers(5, X, network, alone=True) == 2
    cores(16)
    assert member_workers(5, X, network, alone=True) == 5
    assert member_workers(1, X, network, alone=True) == 1


def test_member_workers_heed_omp_num_threads(cores, monkeypatch):
    """Check that OMP_NUM_THREADS (a joblib worker's share of the cores)
    lowers the members trained at once, and that a bad value is ignored."""
    X, network = np.zeros((100, 6), dtype=np.float32), _network()
    cores(8)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert member_workers(5, X, network, alone=True) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert member_workers(5, X, network, alone=True) == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "all")
    assert member_workers(5, X, network, alone=True) == 5


def test_member_workers_one_at_a_time_when_not_alone(cores):
    """Check that members with callbacks, metrics or progress output train
    one after the other."""
    cores(4)
    assert member_workers(5, np.zeros((100, 6)), _network(), alone=False) == 1


def test_member_workers_within_working_memory(cores):
    """Check that the members training beside the first hold at most
    scikit-learn's working_memory: 3 members of 1 MB in 2 MB, none of 2 MB
    in 1 MB (X and parameters both count)."""
    cores(8)
    network = _network()
    parameters = network.count_params() * BYTES_PER_PARAMETER
    rows = (2**20 - parameters) // (6 * 4)  # X of 1 MB with the parameters
    X = np.zeros((rows, 6), dtype=np.float32)
    assert member_bytes(X, network) <= 2**20
    with sklearn.config_context(working_memory=2):
        assert member_workers(5, X, network, alone=True) == 3
    with sklearn.config_context(working_memory=1):
        assert member_workers(5, np.concatenate([X, X]), network, alone=True) == 1
    wide = _network(units=2**20 // (6 * BYTES_PER_PARAMETER))  # over 1 MB
    with sklearn.config_context(working_memory=1):
        assert member_workers(5, X[:1], wide, alone=True) == 1


def test_member_bytes_counts_data_and_parameters():
    """Check the bytes of a dense X, of a sparse X's arrays, and of the
    parameters."""
    network = _network()  # 6 x 8 + 8 = 56 parameters
    dense = np.zeros((10, 6), dtype=np.float32)
    assert member_bytes(dense, network) == 240 + 56 * BYTES_PER_PARAMETER
    X = sp.random(10, 6, density=0.5, format="csr", dtype=np.float32, random_state=0)
    arrays = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    assert member_bytes(X, network) == arrays + 56 * BYTES_PER_PARAMETER


def test_map_members_keeps_order_config_and_errors():
    """Check that threads return in the members' order with their networks,
    see scikit-learn's configuration, and raise a member's error; networks
    come from the calling thread."""
    made_in = []

    def networks():
        for m in range(5):
            made_in.append(threading.current_thread().name)
            yield f"network {m}"

    with sklearn.config_context(assume_finite=True):
        seen = map_members(
            lambda m, network: (m, sklearn.get_config()["assume_finite"]),
            networks(),
            workers=2,
        )
    assert seen == [(f"network {m}", (m, True)) for m in range(5)]
    assert made_in == ["MainThread"] * 5

    def fails_on_three(m, network):
        if m == 3:
            raise ValueError("member 3")
        return m

    with pytest.raises(ValueError, match="member 3"):
        map_members(fails_on_three, range(5), workers=2)


def _train_threads(monkeypatch):
    """Record the thread names that members train in."""
    names = []
    train = _training._train

    def recorded(*args, **kwargs):
        names.append(threading.current_thread().name)
        return train(*args, **kwargs)

    monkeypatch.setattr(_training, "_train", recorded)
    return names


@pytest.mark.parametrize("threshold", ["auto", 0.5])
def test_members_training_at_once_give_the_same_model(
    multilabel_data, monkeypatch, cores, threshold
):
    """Check that members trained two at a time (threads) make exactly the
    model of the same members trained one after the other: cross-fitted
    (threshold="auto") and seed ensembles."""
    X, Y = multilabel_data
    params = dict(
        hidden_layer_sizes=(8,), epochs=4, ensemble_size=3, threshold=threshold
    )
    cores(1)
    one_by_one = KerasMultilabelClassifier(random_state=0, **params).fit(X, Y)
    cores(2)
    names = _train_threads(monkeypatch)
    at_once = KerasMultilabelClassifier(random_state=0, **params).fit(X, Y)
    assert len(names) == 3 and "MainThread" not in names
    np.testing.assert_array_equal(at_once.predict_proba(X), one_by_one.predict_proba(X))
    if threshold == "auto":
        np.testing.assert_array_equal(at_once.thresholds_, one_by_one.thresholds_)
    assert at_once.history_ == one_by_one.history_


def test_members_with_callbacks_train_one_after_the_other(
    multilabel_data, monkeypatch, cores
):
    """Check that callbacks (shared by the members) keep them in this thread."""
    X, Y = multilabel_data
    cores(2)
    names = _train_threads(monkeypatch)
    KerasMultilabelClassifier(
        hidden_layer_sizes=(8,),
        epochs=2,
        ensemble_size=3,
        random_state=0,
        callbacks=[keras.callbacks.History()],
    ).fit(X, Y)
    assert names == ["MainThread"] * 3


def test_threads_train_their_own_template_replica_on_tensorflow():
    """Check that a thread's replica index gives it a template of its own on
    TensorFlow (whose compiled epochs train the template's variables, so
    members sharing one would take turns), kept for later fits, and that on
    JAX (templates without values) one template serves every thread."""
    network = compiled_network(_network(units=7))

    def template_in_thread(index):
        seen = []

        def run():
            use_template_replica(index)
            seen.append(network._replica())

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return seen[0]

    assert network._replica() is network.template  # this thread: replica 0
    first = template_in_thread(1)
    assert template_in_thread(1) is first
    assert template_in_thread(0) is network.template
    if keras.backend.backend() == "tensorflow":
        assert first is not network.template
        assert first.get_config() == network.template.get_config()
    else:
        assert first is network.template


def test_members_of_a_model_compiled_with_metrics_train_one_after_the_other(
    multilabel_data, monkeypatch, cores
):
    """Check that Keras metrics, given as a parameter or compiled into the
    model by a model= builder, keep the members in this thread."""
    X, Y = multilabel_data
    cores(2)

    def compiled_with_metrics(meta, compile_kwargs):
        inputs = keras.Input((meta["n_features_in_"],))
        outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(inputs)
        model = keras.Model(inputs, outputs)
        model.compile(**{**compile_kwargs, "metrics": ["binary_accuracy"]})
        return model

    for params in (
        {"metrics": ["binary_accuracy"]},
        {"model": compiled_with_metrics},
    ):
        names = _train_threads(monkeypatch)
        KerasMultilabelClassifier(
            epochs=2, ensemble_size=2, random_state=0, **params
        ).fit(X, Y)
        assert names == ["MainThread"] * 2

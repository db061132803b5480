"""The default training: a seed ensemble of networks with early stopping."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn._ensemble import mean_history

X, Y = make_multilabel_classification(
    n_samples=200, n_features=6, n_classes=3, n_labels=2, random_state=0
)


def ensemble(**params):
    defaults = dict(hidden_layer_sizes=(8,), epochs=4, random_state=0)
    return KerasMultilabelClassifier(**{**defaults, "ensemble_size": 3, **params})


def test_defaults_train_an_early_stopped_cross_fitted_ensemble():
    """Check the documented defaults (chosen on the development suite): 5
    networks of 512 units with dropout 0.5, early stopping (patience 5, at
    most 200 epochs), thresholds learned from the members' own folds."""
    params = KerasMultilabelClassifier().get_params()
    assert params["ensemble_size"] == 5
    assert params["early_stopping"] is True
    assert params["n_iter_no_change"] == 5
    assert params["validation_split"] == 0.1
    assert params["epochs"] == 200
    assert params["threshold"] == "auto"
    assert params["threshold_cv"] == "ensemble"
    assert tuple(params["hidden_layer_sizes"]) == (512,)
    assert params["dropout"] == 0.5
    assert params["learning_rate"] == 0.003


def test_ensemble_averages_its_networks():
    """Check that model_ holds ensemble_size networks and outputs their mean."""
    clf = ensemble().fit(X, Y)
    members = [layer for layer in clf.model_.layers if layer.name.startswith("member_")]
    assert len(members) == 3
    mean = np.mean([member.predict(X, verbose=0) for member in members], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X), mean, rtol=1e-5, atol=1e-6)
    # the networks differ: each has its own seed
    first, second = (member.get_weights()[0] for member in members[:2])
    assert not np.allclose(first, second)


def test_first_network_is_the_single_network_of_the_same_seed():
    """Check that the ensemble's first network is what ensemble_size=1 trains
    (with a fixed threshold: each on random validation rows, not on folds)."""
    single = ensemble(ensemble_size=1, threshold=0.5).fit(X, Y)
    members = ensemble(threshold=0.5).fit(X, Y).model_.layers
    first = next(layer for layer in members if layer.name == "member_0")
    np.testing.assert_allclose(
        first.predict(X, verbose=0), single.predict_proba(X), rtol=1e-5, atol=1e-6
    )


def test_ensemble_is_reproducible_and_seeded():
    """Check that one random_state gives the same ensemble, another a different one."""
    first = ensemble().fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(first, ensemble().fit(X, Y).predict_proba(X))
    assert not np.allclose(first, ensemble(random_state=1).fit(X, Y).predict_proba(X))


def test_early_stopping_ends_training_before_the_epoch_cap():
    """Check that the default early stopping ends a long training early on
    data the network soon overfits, and records the validation loss."""
    rng = np.random.default_rng(0)
    noise_y = (rng.random(Y.shape) < 0.4).astype(int)  # nothing to learn
    clf = ensemble(epochs=200, learning_rate=0.01, n_iter_no_change=3)
    clf.fit(X, noise_y)
    assert clf.n_iter_ < 50
    assert len(clf.history_["val_loss"]) == clf.n_iter_


def test_mean_history_averages_the_networks_still_training():
    """Check the ensemble history: per epoch, the mean over the networks that
    trained at that epoch."""
    merged = mean_history([{"loss": [3.0, 2.0, 1.0]}, {"loss": [5.0]}])
    assert merged == {"loss": [4.0, 2.0, 1.0]}


def test_warm_start_trains_the_ensemble_on():
    """Check that a warm-started fit continues the ensemble as one model."""
    clf = ensemble(early_stopping=False, warm_start=True).fit(X, Y)
    before = clf.predict_proba(X)
    clf.fit(X, Y)
    assert clf.n_iter_ == 8
    assert not np.allclose(before, clf.predict_proba(X))
    assert len([layer for layer in clf.model_.layers if "member_" in layer.name]) == 3


@pytest.mark.parametrize(
    "params, match",
    [
        ({"ensemble_size": 1}, "leaves none to train on"),
        ({"ensemble_size": 3, "threshold": 0.5}, "leaves none to train on"),
        ({"ensemble_size": 3}, r"3 folds \(ensemble_size\) .* 1 rows .* too few"),
    ],
)
def test_too_few_rows_for_the_validation_rows(params, match):
    """Check the error when the validation rows (a random share, or the
    members' folds) would leave none to train on."""
    with pytest.raises(ValueError, match=match):
        ensemble(**params).fit(X[:1], Y[:1])

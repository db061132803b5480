"""Saving fitted estimators: pickle, and skops.io without any pickle."""

import os
import pickle
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest
from _helpers import small
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sio = pytest.importorskip("skops.io")

#: What a skops file of this package may ask the user to trust.
ALLOWED_UNTRUSTED = {
    "numpy.dtype",
    "skmultilabelnn._classifier.KerasMultilabelClassifier",
    "skmultilabelnn._target.MultilabelTargetEncoder",
}


@pytest.mark.parametrize(
    "make",
    [
        lambda: small(threshold="auto", threshold_cv=3, dropout=0.2),
        lambda: small(class_weight="balanced", loss="binary_focal_crossentropy"),
        lambda: make_pipeline(StandardScaler(), small()),
    ],
    ids=["auto-thresholds", "balanced-focal", "pipeline"],
)
def test_skops_round_trip_in_a_fresh_process(multilabel_data, tmp_path, make):
    """Check that a skops file loads elsewhere and predicts the same probabilities."""
    X, Y = multilabel_data
    estimator = make().fit(X, Y)
    path = tmp_path / "model.skops"
    sio.dump(estimator, path)
    untrusted = sio.get_untrusted_types(file=path)
    assert set(untrusted) <= ALLOWED_UNTRUSTED
    np.save(tmp_path / "X.npy", X)
    script = (
        "import sys, numpy as np, skops.io as sio\n"
        f"path = {str(path)!r}\n"
        "model = sio.load(path, trusted=sio.get_untrusted_types(file=path))\n"
        f"X = np.load({str(tmp_path / 'X.npy')!r})\n"
        f"np.save({str(tmp_path / 'proba.npy')!r}, model.predict_proba(X))\n"
    )
    env = {**os.environ, "KERAS_BACKEND": keras.backend.backend()}
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300, env=env)
    np.testing.assert_array_equal(
        np.load(tmp_path / "proba.npy"), estimator.predict_proba(X)
    )


def test_skops_file_holds_no_pickle(multilabel_data, tmp_path):
    """Check that the file's schema names no pickle and no Keras object."""
    X, Y = multilabel_data
    path = tmp_path / "model.skops"
    sio.dump(small().fit(X, Y), path)
    with zipfile.ZipFile(path) as archive:
        schema = archive.read("schema.json").decode()
    assert "pickle" not in schema.lower()
    assert "keras.src" not in schema


def test_untrusted_load_is_refused(multilabel_data, tmp_path):
    """Check that loading without trusting the package's classes is refused."""
    X, Y = multilabel_data
    path = tmp_path / "model.skops"
    sio.dump(small().fit(X, Y), path)
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.load(path)


def test_pickle_keeps_training_state(multilabel_data):
    """Check that an unpickled estimator keeps weights, optimizer state and history."""
    X, Y = multilabel_data
    clf = small(warm_start=True).fit(X, Y)
    restored = pickle.loads(pickle.dumps(clf))
    assert restored.history_ == clf.history_ and restored.n_iter_ == 3
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    clf.fit(X, Y)
    restored.fit(X, Y)
    np.testing.assert_allclose(
        restored.predict_proba(X), clf.predict_proba(X), rtol=1e-5
    )

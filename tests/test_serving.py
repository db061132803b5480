"""Tests that a fitted model_ is served by Keras alone, without skmultilabelnn."""

import json
import subprocess
import sys
import textwrap

import numpy as np

from skmultilabelnn import KerasMultilabelClassifier

#: Run in a fresh interpreter: load each saved model and predict, with Keras only.
_SERVE = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras

    paths = json.loads(sys.argv[1])
    X = np.load(sys.argv[2])
    for path in paths:
        model = keras.saving.load_model(path)
        np.save(path + ".npy", np.asarray(model.predict(X, verbose=0)))
    assert "skmultilabelnn" not in sys.modules, "the package was imported"
    """
)


def test_saved_model_predicts_with_keras_alone(multilabel_data, tmp_path):
    """Check that model_.save loads with keras.saving.load_model, no skmultilabelnn.

    The plain, class-weighted and focal-loss networks, loaded in a process
    that never imports this package, give predict_proba's probabilities.
    """
    X, Y = multilabel_data
    settings = {
        "plain": {},
        "balanced": {"class_weight": "balanced"},
        "focal": {"loss": "binary_focal_crossentropy"},
    }
    estimators, paths = {}, []  # paths as strings, for the JSON argument
    for name, params in settings.items():
        clf = KerasMultilabelClassifier(
            hidden_layer_sizes=(8,), epochs=3, random_state=0, **params
        ).fit(X, Y)
        path = tmp_path / f"{name}.keras"
        clf.model_.save(path)
        estimators[name] = clf
        paths.append(str(path))
    np.save(tmp_path / "X.npy", X.astype(np.float32))

    result = subprocess.run(
        [sys.executable, "-c", _SERVE, json.dumps(paths), str(tmp_path / "X.npy")],
        cwd=tmp_path,  # not the repository, so the package is not importable by path
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for (name, clf), path in zip(estimators.items(), paths, strict=True):
        served = np.load(path + ".npy")
        np.testing.assert_allclose(
            served, clf.predict_proba(X), rtol=1e-5, atol=1e-6, err_msg=name
        )

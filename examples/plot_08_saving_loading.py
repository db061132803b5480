"""
===============================
Saving, loading and serving
===============================

A fitted estimator (or a pipeline holding one) saves like any scikit-learn
object:

- with :mod:`pickle` or :mod:`joblib`;
- with `skops <https://skops.readthedocs.io>`_, which loads without running
  pickle: you list the types you trust;
- and its Keras network alone, ``model_``, as a ``.keras`` file that Keras
  loads without this package, for serving.
"""

# %%
import pickle
import tempfile
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import skops.io as sio
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_scene

train = load_scene(subset="train")
X_test, _ = load_scene(subset="test", return_X_y=True)
pipe = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(epochs=20, threshold="auto", random_state=0),
)
# a DataFrame y: its column names become the labels' names, ``classes_``
pipe.fit(train.data, pd.DataFrame(train.target, columns=train.target_names))
expected = pipe.predict_proba(X_test)
folder = Path(tempfile.mkdtemp())

# %%
# pickle (and joblib)
# -------------------
# The network travels inside as a ``.keras`` archive.
restored = pickle.loads(pickle.dumps(pipe))
print(
    "pickle: same probabilities:",
    np.array_equal(restored.predict_proba(X_test), expected),
)

# %%
# skops: no pickle at load time
# -----------------------------
# ``get_untrusted_types`` lists what the file holds beyond plain values;
# review it, then pass it as ``trusted``.
sio.dump(pipe, folder / "model.skops")
untrusted = sio.get_untrusted_types(file=folder / "model.skops")
print("types to review:", untrusted)
restored = sio.load(folder / "model.skops", trusted=untrusted)
print(
    "skops: same predictions:",
    np.array_equal(restored.predict(X_test), pipe.predict(X_test)),
)

# %%
# Serving the network with Keras alone
# ------------------------------------
# ``model_`` is a plain Keras model. Save it, with what turns its output into
# labels: the preprocessing (here the scaler), the label names and the
# thresholds.
clf = pipe[-1]
clf.model_.save(folder / "network.keras")
np.savez(
    folder / "labels.npz",
    classes=np.asarray(clf.classes_).astype(str),
    thresholds=clf.thresholds_,
    mean=pipe[0].mean_,
    scale=pipe[0].scale_,
)

# in the serving process: Keras and NumPy, no scikit-learn, no skmultilabelnn
network = keras.saving.load_model(folder / "network.keras")
meta = np.load(folder / "labels.npz")
proba = network.predict((X_test - meta["mean"]) / meta["scale"], verbose=0)
labels = [tuple(meta["classes"][row >= meta["thresholds"]]) for row in proba[:5]]
print("served probabilities match:", np.allclose(proba, expected, atol=1e-5))
print("first five images:", labels)
print("the estimator says:", clf.predict_labels(pipe[0].transform(X_test[:5])))

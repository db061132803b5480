"""
======================================================
Tutorial 1: a 32-16-8 network on 10,000 synthetic rows
======================================================

The first tutorial this project grew from trains a small Keras network by
hand: ``Dense(32) -> Dense(16) -> Dense(8)`` with relu and He-uniform
initialisation, one sigmoid output per label, binary cross-entropy and Adam,
50 epochs in batches of 250, on
``make_multilabel_classification(n_samples=10000, n_features=6, n_classes=3,
n_labels=2)`` split 67/33. It reports a test *binary accuracy* (the fraction
of correct label entries) of about 0.856.

Here the same network is a scikit-learn estimator: the architecture is a
small ``model=`` function, everything else is a parameter.
"""

# %%
# The data and the split of the tutorial
# --------------------------------------
import keras
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import train_test_split

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.metrics import multilabel_scores

X, Y = make_multilabel_classification(
    n_samples=10000, n_features=6, n_classes=3, n_labels=2, random_state=42
)
X_train, X_test, Y_train, Y_test = train_test_split(
    X, Y, test_size=0.33, random_state=0
)
print(X_train.shape, Y_train.shape, "label frequencies:", Y_train.mean(axis=0).round(2))


# %%
# The tutorial's network as a ``model=`` function
# -----------------------------------------------
# The estimator calls the function at each fit with ``meta``, which says how
# many features and labels the data have, and with the ``model__`` parameters.
# The function returns an uncompiled :class:`keras.Model`; the estimator
# compiles it with binary cross-entropy and Adam.
def build_he_mlp(meta, hidden_layer_sizes=(32, 16, 8)):
    inputs = keras.Input(shape=(meta["n_features_in_"],))
    hidden = inputs
    for units in hidden_layer_sizes:
        hidden = keras.layers.Dense(
            units, activation="relu", kernel_initializer="he_uniform"
        )(hidden)
    outputs = keras.layers.Dense(meta["n_outputs_"], activation="sigmoid")(hidden)
    return keras.Model(inputs, outputs)


clf = KerasMultilabelClassifier(
    model=build_he_mlp,
    model__hidden_layer_sizes=(32, 16, 8),
    epochs=50,
    batch_size=250,
    validation_split=0.2,
    # the tutorial's recipe: one network, every epoch (the defaults train an
    # ensemble of 5 networks with early stopping)
    ensemble_size=1,
    early_stopping=False,
    random_state=0,
)
clf.fit(X_train, Y_train)

# %%
# Test scores
# -----------
Y_pred = clf.predict(X_test)
print(f"binary accuracy: {np.mean(Y_pred == Y_test):.3f} (the tutorial: 0.856)")
for name, value in multilabel_scores(Y_test, Y_pred).items():
    print(f"{name:>16}: {value:.3f}")

# %%
# The training curve
# ------------------
# ``history_`` holds the loss of every epoch, on the training rows and on the
# 20% ``validation_split``.
from skmultilabelnn.plots import TrainingCurveDisplay  # noqa: E402

display = TrainingCurveDisplay.from_estimator(clf)
display.ax_[0].set_title("binary cross-entropy per epoch")
display.figure_.tight_layout()

"""
=============================================
Tutorial 3: a convolutional network on images
=============================================

The third tutorial trains a small convolutional network on 32x32 colour
images with several labels each: ``Conv2D(32) -> Conv2D(64) -> MaxPooling ->
Dense(sigmoid)``, scored by micro-averaged precision, recall and F1 and by
Hamming loss. Its images came from a download; here
:func:`~skmultilabelnn.datasets.make_multilabel_shapes` draws them offline:
each image shows some of four shapes (circle, square, triangle, cross), and
its labels say which.

:func:`~skmultilabelnn.build_cnn` is the tutorial's architecture as a
``model=`` function; X keeps its image shape ``(n, 32, 32, 3)``. To stay
under a minute when the site is built this example trains on 1200 images for
at most 12 epochs; ``python -m benchmarks.seed_cnn_shapes`` trains on 2000
(micro-F1 0.811 in the latest run).

.. note::

   On a CPU, convolutions are much faster on TensorFlow than on JAX (JAX
   took over 7 minutes for the benchmark's CNN, TensorFlow about 2). For
   image models on a CPU, run with ``KERAS_BACKEND=tensorflow`` (the
   default, which this site is built with).
"""

# %%
# The images
# ----------
import keras
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.metrics import hamming_loss, precision_recall_fscore_support

from skmultilabelnn import KerasMultilabelClassifier, build_cnn
from skmultilabelnn.datasets import make_multilabel_shapes

X, Y, shape_names = make_multilabel_shapes(
    1700, random_state=0, return_shape_names=True
)
X_train, X_test, Y_train, Y_test = X[:1200], X[1200:], Y[:1200], Y[1200:]
print("images:", X_train.shape, "labels:", shape_names.tolist())

fig, axes = plt.subplots(1, 6, figsize=(10, 2.6), layout="constrained")
for ax, image, labels in zip(axes, X_train, Y_train, strict=False):
    ax.imshow(image)
    ax.set_title("\n".join(shape_names[labels == 1]) or "(none)", fontsize=8)
    ax.axis("off")
fig.suptitle("training images and their labels")

# %%
# The network
# -----------
# ``model=build_cnn``; its arguments are routed with ``model__``. Early
# stopping watches the loss on 10% of the training images.
clf = KerasMultilabelClassifier(
    model=build_cnn,
    model__filters=(32, 64),
    epochs=12,
    early_stopping=True,
    validation_split=0.1,
    n_iter_no_change=3,
    ensemble_size=1,  # the tutorial's one network (the default is 5)
    random_state=0,
)
clf.fit(X_train, pd.DataFrame(Y_train, columns=shape_names))
print(f"{keras.backend.backend()} backend,", clf.n_iter_, "epochs")

# %%
# The tutorial's scores
# ---------------------
Y_pred = clf.predict(X_test)
precision, recall, f1, _ = precision_recall_fscore_support(
    Y_test, Y_pred, average="micro", zero_division=0
)
print(f"micro precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}")
print(f"Hamming loss {hamming_loss(Y_test, Y_pred):.3f}")

# %%
# Predicted labels by name
# ------------------------
# ``y`` was a DataFrame whose columns are the shape names, so ``classes_``
# holds them and ``predict_labels`` names each image's predicted shapes.
fig, axes = plt.subplots(1, 6, figsize=(10, 2.6), layout="constrained")
predicted = clf.predict_labels(X_test[:6])
for ax, image, labels in zip(axes, X_test[:6], predicted, strict=True):
    ax.imshow(image)
    ax.set_title("\n".join(labels) or "(none)", fontsize=8)
    ax.axis("off")
fig.suptitle("test images and their predicted labels")

"""
============================================
Plots: training curves and per-label scores
============================================

:mod:`skmultilabelnn.plots` has two displays in scikit-learn's style
(``from_estimator``, then ``.plot(ax=...)`` to redraw):

- :class:`~skmultilabelnn.plots.TrainingCurveDisplay`: the loss and any Keras
  metrics per epoch, on the training rows and on the validation rows;
- :class:`~skmultilabelnn.plots.LabelScoresDisplay`: each label's F1 as a bar,
  its support, and the threshold ``predict`` uses for it.

Both take a fitted estimator or a pipeline ending in one. Here they show,
on the bundled scene set, when to stop training.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_scene
from skmultilabelnn.plots import LabelScoresDisplay, TrainingCurveDisplay

train = load_scene(subset="train")
X_test, Y_test = load_scene(subset="test", return_X_y=True)

# %%
# Too many epochs
# ---------------
# 60 epochs with a 20% validation split and a Keras metric,
# ``metrics=["binary_accuracy"]``, recorded per epoch like the loss.
long = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(
        epochs=60, validation_split=0.2, metrics=["binary_accuracy"], random_state=0
    ),
)
long.fit(train.data, train.target)
curves = TrainingCurveDisplay.from_estimator(long)
curves.figure_.suptitle("scene, 60 epochs: the validation loss turns up")
curves.figure_.tight_layout()

# %%
# Early stopping
# --------------
# ``early_stopping=True`` stops when the validation rows' score has not
# improved for ``n_iter_no_change`` epochs and keeps the best epoch's weights.
# The score is ``scoring``: by default the mean over labels of the ROC AUC
# (``val_roc_auc``, drawn in a panel of its own); ``scoring="loss"`` stops on
# the validation loss.
short = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(
        epochs=60,
        validation_split=0.2,
        early_stopping=True,
        n_iter_no_change=5,
        random_state=0,
    ),
)
short.fit(train.data, train.target)
print("epochs trained:", len(short[-1].history_["loss"]))

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True, layout="constrained")
for ax, (name, pipe) in zip(
    axes, {"60 epochs": long, "early stopping": short}.items(), strict=True
):
    TrainingCurveDisplay.from_estimator(pipe, names=["loss"], ax=ax)
    ax.set_title(name)

# %%
# Per-label scores
# ----------------
for name, pipe in {"60 epochs": long, "early stopping": short}.items():
    display = LabelScoresDisplay.from_estimator(
        pipe, X_test, Y_test, display_labels=train.target_names
    )
    display.ax_.set_title(f"scene test set, {name}")
    display.figure_.tight_layout()

"""
=================
Imbalanced labels
=================

In most multilabel data some labels are rare: in the bundled yeast set the
rarest label is in 1% of the genes, the commonest in 75%. Trained on binary
cross-entropy, a network learns to give rare labels low probabilities, and at
the 0.5 cut it hardly ever predicts them: micro-F1 (pooled over all labels)
looks fine while macro-F1 (the mean over labels) is poor.

Three remedies, alone or together:

- ``class_weight="balanced"`` weighs each label's positives and negatives as
  scikit-learn's ``"balanced"`` does for that label alone;
- ``loss="binary_focal_crossentropy"`` (Keras' focal loss, with
  ``loss__gamma``) down-weights the easy rows;
- ``threshold="auto"`` moves each label's cut instead of its training
  weight (see :ref:`sphx_glr_auto_examples_plot_04_thresholds.py`).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabelnn import KerasMultilabelClassifier
from skmultilabelnn.datasets import load_yeast
from skmultilabelnn.metrics import multilabel_scores

train = load_yeast(subset="train")
X_test, Y_test = load_yeast(subset="test", return_X_y=True)
frequency = train.target.mean(axis=0)
print("label frequencies:", frequency.round(2))

# %%
# Four settings of the same network
# ---------------------------------
settings = {
    "default": {},
    'class_weight="balanced"': {"class_weight": "balanced"},
    "focal loss (gamma=2)": {
        "loss": "binary_focal_crossentropy",
        "loss__gamma": 2.0,
    },
    'balanced + threshold="auto"': {"class_weight": "balanced", "threshold": "auto"},
}
per_label_f1 = {}
for name, params in settings.items():
    pipe = make_pipeline(
        StandardScaler(),
        KerasMultilabelClassifier(
            early_stopping=True, validation_split=0.1, random_state=0, **params
        ),
    )
    Y_pred = pipe.fit(train.data, train.target).predict(X_test)
    scores = multilabel_scores(Y_test, Y_pred)
    per_label_f1[name] = f1_score(Y_test, Y_pred, average=None, zero_division=0)
    print(
        f"{name:<28} micro-F1 {scores['f1_micro']:.3f}  "
        f"macro-F1 {scores['f1_macro']:.3f}  "
        f"labels never predicted: {int(np.sum(Y_pred.sum(axis=0) == 0))}"
    )

# %%
# Where the gain is: the rare labels
# ----------------------------------
# Labels sorted from the commonest to the rarest.
order = np.argsort(-frequency)
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
for name, f1 in per_label_f1.items():
    ax.plot(np.arange(len(order)), f1[order], marker="o", label=name)
ax.set_xticks(
    np.arange(len(order)),
    [f"{frequency[j]:.0%}" for j in order],
    rotation=45,
)
ax.set(
    xlabel="label, by its frequency in the training rows",
    ylabel="test F1",
    title="yeast: F1 of each label",
)
ax.legend(fontsize="small")

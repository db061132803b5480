"""
==============================================
Thresholds: scalar, per label, learned, tuned
==============================================

A multilabel network outputs one probability per label; ``predict`` turns
them into 0/1 with a *threshold*. The usual 0.5 is rarely best: rare labels
get low probabilities and are never predicted. This example compares, on the
bundled yeast set (14 labels, some rare):

- ``threshold=0.5`` (the usual cut) and a lower scalar, ``0.3``;
- one threshold per label, given by hand;
- ``threshold="auto"``: one threshold per label learned during ``fit``
  (``thresholds_``), for the metric in ``threshold_metric``;
- :class:`~skmultilabelnn.MultilabelThresholdTuner`, which learns per-label
  thresholds for *any* classifier, here a one-vs-rest SVM.

The threshold is read only by ``predict``: changing it with ``set_params``
needs no refit.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skmultilabelnn import KerasMultilabelClassifier, MultilabelThresholdTuner
from skmultilabelnn.datasets import load_yeast
from skmultilabelnn.metrics import multilabel_scores
from skmultilabelnn.plots import LabelScoresDisplay

train = load_yeast(subset="train")
X_test, Y_test = load_yeast(subset="test", return_X_y=True)


def report(name, Y_pred):
    scores = multilabel_scores(Y_test, Y_pred)
    print(
        f"{name:<34} micro-F1 {scores['f1_micro']:.3f}  "
        f"macro-F1 {scores['f1_macro']:.3f}  Hamming {scores['hamming_loss']:.3f}"
    )


# %%
# Scalar and per-label thresholds: one fit, many cuts
# ---------------------------------------------------
pipe = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(
        early_stopping=True, validation_split=0.1, random_state=0
    ),
)
pipe.fit(train.data, train.target)
clf = pipe[-1]
for threshold in (0.5, 0.3):
    clf.set_params(threshold=threshold)  # no refit
    report(f"threshold={threshold}", pipe.predict(X_test))

# a lower cut for the rarer labels (those in under 20% of training rows)
frequency = train.target.mean(axis=0)
by_hand = np.where(frequency < 0.2, 0.2, 0.4)
clf.set_params(threshold=by_hand)
report("per label, by hand", pipe.predict(X_test))

# %%
# ``threshold="auto"``: learned per label in ``fit``
# --------------------------------------------------
# The estimator learns one threshold per label from probabilities on rows
# its network did not train on, maximising the F1 of each label
# (``threshold_metric="f1"``, the default), the pooled micro-F1
# (``"f1_micro"``) or the samples' F1 (``"f1_samples"``). The user guide's
# :ref:`thresholds` page says how, and what it costs.
auto = make_pipeline(
    StandardScaler(),
    KerasMultilabelClassifier(
        threshold="auto", early_stopping=True, validation_split=0.1, random_state=0
    ),
)
auto.fit(train.data, train.target)
report('threshold="auto"', auto.predict(X_test))
print("learned thresholds_:", auto[-1].thresholds_.round(2))

# %%
# Each label's learned threshold beside its test F1; the support (number of
# test genes with the label) is in brackets.
display = LabelScoresDisplay.from_estimator(
    auto, X_test, Y_test, display_labels=train.target_names
)
display.ax_.set_title('yeast test set, threshold="auto"')
display.figure_.tight_layout()

# %%
# ``MultilabelThresholdTuner``: per-label thresholds for any classifier
# ---------------------------------------------------------------------
# It learns the thresholds from cross-validated out-of-fold scores (here the
# SVMs' ``decision_function``), then refits on all rows. It costs ``cv``
# more fits.
svm = make_pipeline(StandardScaler(), OneVsRestClassifier(SVC()))
report("OvR SVC, its own cut", svm.fit(train.data, train.target).predict(X_test))
tuner = MultilabelThresholdTuner(svm, cv=3).fit(train.data, train.target)
report("OvR SVC, MultilabelThresholdTuner", tuner.predict(X_test))

# %%
# What the learned thresholds look like
# -------------------------------------
# Each label's learned threshold against how common the label is: how far the
# learned cuts move from the default 0.5, label by label.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.scatter(frequency, auto[-1].thresholds_, label='network, "auto"')
ax.set(
    xlabel="label frequency in the training rows",
    ylabel="learned threshold",
    title="Per-label thresholds on yeast",
)
ax.axhline(0.5, color="grey", linestyle="--", label="default 0.5")
ax.legend()

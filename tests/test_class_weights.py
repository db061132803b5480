"""class_weight="balanced" and the focal loss."""

import pickle

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import small as small_classifier
from sklearn.utils.class_weight import compute_class_weight

from skmultilabelnn._class_weights import balanced_label_weights, output_class_weights
from skmultilabelnn._engine import TrainingLoss
from skmultilabelnn._engine._loss import batch_loss

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 5))
# label 0 is rare (about 5%), label 1 common, label 2 half and half
Y = np.column_stack([X[:, 0] > 1.65, X[:, 1] > -1.0, X[:, 2] > 0.0]).astype(np.int64)


def small(**params):
    return small_classifier(**{"epochs": 5, **params})


def test_balanced_label_weights_match_sklearn_per_label():
    """Check each label's weights against compute_class_weight on that label."""
    pos, neg = balanced_label_weights(Y)
    for j in range(Y.shape[1]):
        neg_j, pos_j = compute_class_weight(
            "balanced", classes=np.array([0, 1]), y=Y[:, j]
        )
        assert pos[j] == pytest.approx(pos_j)
        assert neg[j] == pytest.approx(neg_j)
    # a sparse y, counted without densifying it, weighs the same
    assert balanced_label_weights(sp.csr_matrix(Y)) == (pos, neg)


def test_balanced_label_weights_of_constant_label():
    """Check that a label always present or absent keeps weight 1."""
    pos, neg = balanced_label_weights(np.array([[1, 0], [1, 1], [1, 0]]))
    assert (pos[0], neg[0]) == (1.0, 1.0)


@pytest.mark.parametrize(
    "gamma, reference",
    [
        (0.0, keras.losses.BinaryCrossentropy()),
        (2.0, keras.losses.BinaryFocalCrossentropy(gamma=2.0)),
    ],
)
def test_unit_weights_reproduce_keras_losses(gamma, reference):
    """Check that label weights of 1 give Keras' binary cross-entropy and focal loss."""
    y_true = (rng.random((16, 3)) < 0.4).astype("float32")
    y_pred = rng.uniform(0.01, 0.99, size=(16, 3)).astype("float32")
    ones = np.ones(3, "float32")
    weighted = TrainingLoss(reference, ones, ones)
    ours = batch_loss(weighted, y_true, y_pred, np.ones(16, "float32"), ones, ones)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(ours),
        keras.ops.convert_to_numpy(reference(y_true, y_pred)),
        rtol=1e-5,
    )


def test_label_weights_weigh_each_side():
    """Check the weighted loss against its formula, padding rows left out."""
    y_true = (rng.random((8, 2)) < 0.5).astype("float32")
    y_pred = rng.uniform(0.05, 0.95, size=(8, 2)).astype("float32")
    pos, neg = np.array([3.0, 1.0], "float32"), np.array([0.5, 2.0], "float32")
    row_weight = np.r_[np.linspace(0.5, 2.0, 6), 0.0, 0.0].astype("float32")
    loss = TrainingLoss(keras.losses.BinaryCrossentropy(), pos, neg)
    ours = batch_loss(loss, y_true, y_pred, row_weight, pos, neg)
    terms = -(y_true * np.log(y_pred) * pos + (1 - y_true) * np.log(1 - y_pred) * neg)
    expected = (terms.mean(axis=1) * row_weight).sum() / 6
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours), expected, rtol=1e-4)


def test_balanced_raises_rare_label_probabilities():
    """Check that weighting lifts the rare label's predicted probabilities."""
    plain = small().fit(X, Y).predict_proba(X)[:, 0].mean()
    balanced = small(class_weight="balanced").fit(X, Y).predict_proba(X)[:, 0].mean()
    assert balanced > plain + 0.05


def test_balanced_leaves_sample_weight_unmodified():
    """Check that the caller's sample_weight is not modified."""
    sample_weight = np.linspace(0.5, 1.5, len(X))
    original = sample_weight.copy()
    small(class_weight="balanced").fit(X, Y, sample_weight=sample_weight)
    np.testing.assert_array_equal(sample_weight, original)


def test_balanced_model_pickles():
    """Check that a model trained with the weighted loss survives pickling."""
    clf = small(class_weight="balanced").fit(X, Y)
    clone = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(clone.predict_proba(X), clf.predict_proba(X))


def test_focal_loss_by_name_with_gamma():
    """Check that loss="binary_focal_crossentropy" builds Keras' focal loss."""
    clf = small(loss="binary_focal_crossentropy", loss__gamma=3.0).fit(X, Y)
    assert isinstance(clf.model_.loss, keras.losses.BinaryFocalCrossentropy)
    assert clf.model_.loss.gamma == 3.0


def test_balanced_focal_loss():
    """Check that class_weight="balanced" with the focal loss keeps its gamma.

    The model is compiled with Keras' own focal loss (so that it loads where the
    package is not installed); the engine applies the label weights.
    """
    focal = dict(loss="binary_focal_crossentropy", loss__gamma=1.5)
    clf = small(class_weight="balanced", **focal).fit(X, Y)
    assert isinstance(clf.model_.loss, keras.losses.BinaryFocalCrossentropy)
    assert clf.model_.loss.gamma == 1.5
    plain = small(**focal).fit(X, Y)
    assert clf.predict_proba(X)[:, 0].mean() > plain.predict_proba(X)[:, 0].mean()


def test_balanced_with_another_loss_is_refused():
    """Check the error for class_weight="balanced" with a loss it cannot weigh."""
    with pytest.raises(ValueError, match="class_weight weighs the default loss"):
        small(class_weight="balanced", loss="mse").fit(X, Y)


def test_balanced_multiclass_uses_class_weights():
    """Check that a multiclass target trains with balanced class weights."""
    y = np.where(X[:, 0] > 1.65, 2, np.where(X[:, 1] > 0, 1, 0))
    plain = small().fit(X, y).predict_proba(X)[:, 2].mean()
    balanced = small(class_weight="balanced").fit(X, y).predict_proba(X)[:, 2].mean()
    assert balanced > plain


def test_bad_class_weight():
    """Check that an unknown class_weight is refused, naming the value."""
    with pytest.raises(ValueError, match="'class_weight' parameter.*'heavy'"):
        small(class_weight="heavy").fit(X, Y)


def test_dict_class_weight_weighs_a_label_positives():
    """Check that a dict weight on one label lifts that label's probabilities."""
    plain = small().fit(X, Y).predict_proba(X)[:, 0].mean()
    weighted = small(class_weight={0: 20.0}).fit(X, Y).predict_proba(X)[:, 0].mean()
    assert weighted > plain + 0.05


def test_class_weight_with_unknown_label():
    """Check the error for a class_weight key that is not a label."""
    with pytest.raises(ValueError, match=r"class_weight has keys \[7\]"):
        small(class_weight={7: 2.0}).fit(X, Y)


@pytest.mark.parametrize("target_type", ["multilabel-indicator", "multiclass"])
@pytest.mark.parametrize(
    "weight, shown",
    [
        (np.nan, "nan"),
        (-1.0, "-1.0"),
        (np.inf, "inf"),
        ("2", "'2'"),
        (None, "None"),
        (True, "True"),
    ],
)
def test_class_weight_must_be_finite_and_non_negative(target_type, weight, shown):
    """Check that a weight that is no finite number >= 0 is refused, by key."""
    y_encoded = np.eye(3)[[0, 1, 2, 1]]
    with pytest.raises(
        ValueError,
        match=rf"class_weight\[1\] must be a finite number >= 0; got {shown}\.",
    ):
        output_class_weights({0: 2.0, 1: weight}, y_encoded, [0, 1, 2], target_type)


def test_class_weight_of_zero_is_allowed():
    """Check that a weight of 0 is kept, as scikit-learn allows it."""
    y_encoded = np.eye(3)[[0, 1, 2, 1]]
    pos, neg = output_class_weights(
        {0: 0, 2: np.float32(0.5)}, y_encoded, [0, 1, 2], "multilabel-indicator"
    )
    assert (pos, neg) == ([0.0, 1.0, 0.5], [1.0, 1.0, 1.0])


def test_nan_class_weight_refused_at_fit():
    """Check that the classifier refuses a NaN class weight before training."""
    with pytest.raises(ValueError, match=r"class_weight\[0\] .* got nan"):
        small(class_weight={0: np.nan}).fit(X, Y)

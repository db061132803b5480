import os

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

# Quiet TensorFlow's C++ start-up logging; set before Keras imports it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def multilabel_data():
    """120 rows, 6 features, 3 labels (about 2 per row): small and quick to fit."""
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=6, n_classes=3, n_labels=2, random_state=1
    )
    return X.astype(np.float64), Y


@pytest.fixture(scope="session")
def tiny_data():
    """60 rows, 5 features, 3 labels: the issue reports' new-user data."""
    return make_multilabel_classification(
        n_samples=60, n_features=5, n_classes=3, random_state=0
    )

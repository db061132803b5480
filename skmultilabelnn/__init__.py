"""Neural-network multilabel classification for scikit-learn, on scikeras and Keras.

Importing the package is cheap; Keras (and its backend) is imported on first
use of an estimator or model builder.
"""

import importlib

__version__ = "0.1.0"

__all__ = [
    "KerasMultilabelClassifier",
    "MultilabelTargetEncoder",
    "MultilabelThresholdTuner",
    "build_cnn",
    "build_mlp",
]

_LAZY = {
    "KerasMultilabelClassifier": "._classifier",
    "MultilabelTargetEncoder": "._target",
    "MultilabelThresholdTuner": "._tuner",
    "build_cnn": "._models",
    "build_mlp": "._models",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])

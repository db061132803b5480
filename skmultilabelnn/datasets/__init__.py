"""Multilabel datasets: bundled real benchmarks and synthetic images.

NumPy, SciPy and scikit-learn only; importing this package does not import Keras.
"""

from ._real import load_delicious, load_enron, load_scene, load_yeast
from ._shapes import make_multilabel_shapes

__all__ = [
    "load_delicious",
    "load_enron",
    "load_scene",
    "load_yeast",
    "make_multilabel_shapes",
]

"""Multilabel datasets: bundled real benchmarks and synthetic images.

NumPy and scikit-learn only; importing this package does not import Keras.
"""

from ._real import load_scene, load_yeast
from ._shapes import make_multilabel_shapes

__all__ = ["load_scene", "load_yeast", "make_multilabel_shapes"]

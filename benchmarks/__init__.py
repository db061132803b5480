"""Benchmarks of KerasMultilabelClassifier against one-vs-rest SVMs and MLPClassifier.

``python -m benchmarks`` runs the main comparison (:mod:`benchmarks.compare`); the
``seed_*`` modules reproduce the seed tutorials. Run everything from the repository
root; see ``benchmarks/README.md``.
"""

import os

# Quiet TensorFlow's C++ start-up logging; set before any module imports Keras.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

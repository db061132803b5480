"""Benchmarks of KerasMultilabelClassifier against one-vs-rest SVMs and MLPClassifier.

``python -m benchmarks`` runs the main comparison (:mod:`benchmarks.compare`); the
``seed_*`` modules reproduce the seed tutorials. Run everything from the repository
root; see ``benchmarks/README.md``.
"""

import importlib.util
import os

# Quiet TensorFlow's C++ start-up logging; set before any module imports Keras.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The benchmarks run on JAX when it is installed (``make`` installs it): on CPU it
# trains these networks several times faster than TensorFlow, which keeps the
# main comparison under its 20 minutes. KERAS_BACKEND chooses otherwise.
if importlib.util.find_spec("jax") is not None:
    os.environ.setdefault("KERAS_BACKEND", "jax")

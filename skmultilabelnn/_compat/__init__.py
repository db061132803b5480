"""The one place that touches private scikit-learn, scikeras and Keras names.

A release of any of them that moves these names breaks this package only.
Two modules, so that code without Keras never imports it:

- ``_sklearn``: private scikit-learn names (parameter validation, fit
  context, indexing helpers); imports scikit-learn only.
- ``_keras``: private scikeras and Keras names (parameter routing, the
  wrapper base class, seeding Keras' initializers, compiled metrics).

This ``__init__`` imports neither.
"""

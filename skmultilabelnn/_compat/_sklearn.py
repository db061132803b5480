"""Private scikit-learn names the package uses (scikit-learn only, no Keras)."""

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _estimator_has,
)

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "_check_method_params",
    "_check_sample_weight",
    "_estimator_has",
    "_fit_context",
    "_safe_indexing",
    "validate_parameter_constraints",
    "validate_params",
]

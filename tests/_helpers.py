"""The tests' small classifier and log capture, shared by the test modules."""

import contextlib
import logging

from skmultilabelnn import KerasMultilabelClassifier

#: One network trained for every epoch on every row, the behaviour most unit
#: tests check (exact epoch counts, every row trained on). The defaults (an
#: ensemble with early stopping on validation rows) are tested on their own
#: in test_ensemble.py.
ONE_NETWORK = dict(ensemble_size=1, early_stopping=False, validation_split=0.0)

#: The plain network of most unit tests: no dropout layer, a fixed 0.5 cut
#: (the defaults' dropout and learned thresholds are tested on their own).
PLAIN = dict(dropout=0.0, threshold=0.5)


def count_calls(monkeypatch, module, name):
    """Wrap ``module.name`` for the test so that each call is counted: the
    list it returns gets an entry per call (the function still runs)."""
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def small(**params):
    """A one-network classifier small and short enough for unit tests."""
    defaults = dict(
        hidden_layer_sizes=(8,),
        epochs=3,
        learning_rate=0.01,
        random_state=0,
        **ONE_NETWORK,
        **PLAIN,
    )
    return KerasMultilabelClassifier(**{**defaults, **params})


@contextlib.contextmanager
def tensorflow_log_records():
    """The records TensorFlow's logger emits at WARNING or above inside the
    block, as a list filled while it runs."""
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)

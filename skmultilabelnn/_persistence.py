"""A fitted estimator's state with its Keras networks as ``.keras`` archives.

``pickle`` and ``skops.io`` both save an estimator through ``__getstate__``.
Every ``keras.Model`` in it (the fitted ``model_``, a ``model`` parameter given
as an instance) travels as the bytes of a ``.keras`` archive, Keras' own
format, which holds no pickle and loads in Keras' safe mode. So a skops file
holds only NumPy arrays, bytes, plain Python values and this package's
classes, and loading it never unpickles anything.
"""

import os
import tempfile
from collections import defaultdict

import keras

#: Key of the state that lists which entries are ``.keras`` archives.
ARCHIVED = "_keras_archives"


def state_with_archives(state):
    """A copy of ``state`` (an estimator's ``__dict__``), models as archive bytes."""
    state = dict(state)
    archived = [key for key, value in state.items() if isinstance(value, keras.Model)]
    for key in archived:
        state[key] = model_to_bytes(state[key])
    if isinstance(state.get("history_"), defaultdict):
        state["history_"] = dict(state["history_"])
    state[ARCHIVED] = archived
    return state


def state_from_archives(state):
    """Undo :func:`state_with_archives`: load each archive back, in safe mode."""
    state = dict(state)
    for key in state.pop(ARCHIVED, []):
        state[key] = model_from_bytes(state[key])
    if isinstance(state.get("history_"), dict):
        state["history_"] = defaultdict(list, state["history_"])
    return state


def model_to_bytes(model):
    """The ``.keras`` archive of ``model`` (weights and optimizer state), as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


def model_from_bytes(archive):
    """Load a ``.keras`` archive from its bytes with Keras' safe mode on."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(bytes(archive))
        return keras.saving.load_model(path, safe_mode=True)

"""pytest over docs/: the user guide's ``>>>`` examples run as doctests.

``make docs`` runs ``pytest --doctest-glob="*.rst" docs`` before building the
site. Sphinx's configuration and the build outputs are not test modules.
"""

import os

import pytest

# Before anything imports Keras (``make docs`` sets KERAS_BACKEND itself).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "auto_examples/*", "api/generated/*"]


@pytest.fixture(autouse=True)
def _no_figures_left_open():
    """Draw without a display, and close what a page drew."""
    import matplotlib

    matplotlib.use("Agg")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")

# `make demo` and `make test` set everything up on a fresh machine: each creates
# the virtual environment in $(VENV) and installs the package into it first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# The estimator and engine tests run on both Keras backends with an engine.
JAX_TESTS = tests/test_classifier.py tests/test_engine.py tests/test_imbalance.py \
	tests/test_learned_thresholds.py tests/test_sparse.py

.PHONY: demo test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench,jax]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python -m benchmarks

test: $(VENV)/.installed
	$(BIN)/python -m pytest
	KERAS_BACKEND=jax $(BIN)/python -m pytest $(JAX_TESTS)

clean:
	rm -rf $(VENV) *.egg-info

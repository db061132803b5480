# `make demo`, `make test`, `make docs` and `make bench` set everything up on a
# fresh machine: each creates the virtual environment in $(VENV) and installs
# the package into it first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# The estimator and engine tests run on both Keras backends with an engine.
JAX_TESTS = tests/test_classifier.py tests/test_engine.py tests/test_class_weights.py \
	tests/test_training.py tests/test_decision.py tests/test_sparse.py tests/test_ensemble.py \
	tests/test_sparse_targets.py tests/test_sampled_labels.py tests/test_members.py \
	tests/test_roc_auc.py
# The docs are built on TensorFlow, the default backend: the gallery's small
# networks train as fast as on JAX, and its CNN several times faster.
DOCS_BACKEND ?= tensorflow
SPHINXOPTS ?= -W --keep-going

.PHONY: demo test bench docs docs-clean dist clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench,jax]"
	touch $@

$(VENV)/.docs-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@

# A quick tour (under a minute after the install): the network and an SVM on yeast.
demo: $(VENV)/.installed
	$(BIN)/python -m benchmarks.demo

test: $(VENV)/.installed
	$(BIN)/python -m pytest
	KERAS_BACKEND=jax $(BIN)/python -m pytest $(JAX_TESTS)

# The full benchmark (about 17 minutes on 2 cores, most of it on delicious): see benchmarks/README.md.
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

# The site in docs/_build/html: user-guide doctests first, then Sphinx with
# warnings as errors, executing every gallery example.
docs: $(VENV)/.docs-installed
	KERAS_BACKEND=$(DOCS_BACKEND) $(BIN)/python -m pytest --doctest-glob="*.rst" docs
	KERAS_BACKEND=$(DOCS_BACKEND) $(BIN)/python -m sphinx $(SPHINXOPTS) -b html docs docs/_build/html
	@echo "Open docs/_build/html/index.html"

docs-clean:
	rm -rf docs/_build docs/api/generated docs/auto_examples docs/sg_execution_times.rst

# The sdist and wheel in dist/, checked as PyPI would.
dist: $(VENV)/.installed
	rm -rf dist
	$(BIN)/python -m build
	$(BIN)/python -m twine check --strict dist/*

clean: docs-clean
	rm -rf $(VENV) *.egg-info dist build

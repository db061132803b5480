"""Check that the documentation covers every public name, and its examples exist.

Keras-free and quick: these tests read docstrings and files only. The site
itself (its doctests, gallery and -W build) is built by ``make docs``.
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest

import skmultilabelnn

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: The public modules, whose ``__all__`` lists their public names.
PUBLIC_MODULES = [
    "skmultilabelnn",
    "skmultilabelnn.datasets",
    "skmultilabelnn.metrics",
    "skmultilabelnn.plots",
]


def _public_names():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            yield module_name, name, getattr(module, name)


PUBLIC_NAMES = list(_public_names())


def _api_entries():
    """The ``module.name`` of every autosummary entry of docs/api/index.rst."""
    text = (DOCS / "api" / "index.rst").read_text()
    entries, module = set(), None
    for line in text.splitlines():
        current = re.match(r"\.\. currentmodule:: (\S+)", line)
        if current:
            module = current.group(1)
        entry = re.match(r"   ([A-Za-z_][\w.]*)$", line)
        if entry and module:
            entries.add(f"{module}.{entry.group(1)}")
    return entries


@pytest.mark.parametrize(
    "module_name, name, obj", PUBLIC_NAMES, ids=[n for _, n, _ in PUBLIC_NAMES]
)
def test_public_name_has_an_api_page(module_name, name, obj):
    """Check that every public name is an entry of the API reference."""
    assert f"{module_name}.{name}" in _api_entries()


@pytest.mark.parametrize(
    "module_name, name, obj",
    [item for item in PUBLIC_NAMES if callable(item[2])],
    ids=[n for _, n, obj in PUBLIC_NAMES if callable(obj)],
)
def test_public_callable_has_a_numpydoc_example(module_name, name, obj):
    """Check that every public function and class has an Examples section."""
    doc = inspect.getdoc(obj) or ""
    assert re.search(r"^Examples\n-{8}\n+>>> ", doc, flags=re.MULTILINE), (
        f"{module_name}.{name} has no numpydoc Examples section with a doctest"
    )
    assert re.search(r"^Parameters\n-{10}$|^Returns\n-{7}$", doc, re.MULTILINE)


def test_public_modules_are_documented():
    """Check that the API page documents every public module, and only those."""
    text = (DOCS / "api" / "index.rst").read_text()
    documented = set(re.findall(r"\.\. automodule:: (\S+)", text))
    assert documented == set(PUBLIC_MODULES)


def test_gallery_has_the_seed_tutorials_and_at_least_eight_examples():
    """Check that examples/ holds at least 8 gallery scripts with titles."""
    scripts = sorted((ROOT / "examples").glob("plot_*.py"))
    assert len(scripts) >= 8
    for script in scripts:
        docstring = script.read_text().split('"""')[1]
        assert re.search(r"^=+\n.+\n=+$", docstring, re.MULTILINE), script.name
    names = " ".join(script.name for script in scripts)
    for tutorial in ("seed_mlp_10000", "seed_repeated_kfold", "seed_cnn_shapes"):
        assert tutorial in names


def test_version_lives_in_one_place():
    """Check that pyproject.toml reads the version from __version__ and that
    CHANGES.md has a section for it."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "skmultilabelnn.__version__" }' in pyproject
    assert not re.search(r"^version\s*=\s*\"", pyproject, re.MULTILINE)
    changes = (ROOT / "CHANGES.md").read_text()
    assert f"## {skmultilabelnn.__version__}" in changes

"""Tests of the package's import structure, read from its sources (no imports run)."""

import ast
from pathlib import Path

import pytest

import skmultilabelnn

PACKAGE_ROOT = Path(skmultilabelnn.__file__).parent
PACKAGE = "skmultilabelnn"

#: Third-party packages whose private names must go through ``_compat``.
GUARDED = ("sklearn", "scikeras", "keras")


def _module_name(path):
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources():
    return {_module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


def _imports(module, path):
    """``(imported module, names, line, at_top_level)`` of each import in a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    top_level = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, [], node.lineno, id(node) in top_level))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            names = [alias.name for alias in node.names]
            found.append((base, names, node.lineno, id(node) in top_level))
    return found


def _package_edges(sources):
    """Module -> the package modules it imports at its top level."""
    edges = {module: set() for module in sources}
    for module, path in sources.items():
        for target, names, _, at_top in _imports(module, path):
            if not at_top or not target.startswith(PACKAGE):
                continue
            # ``from .pkg import name`` imports pkg.name when that is a module
            candidates = [f"{target}.{name}" for name in names] + [target]
            for candidate in candidates:
                if candidate in sources and candidate != module:
                    edges[module].add(candidate)
                    if candidate != target:
                        break
    return edges


def _find_cycle(edges):
    """A list of modules forming a cycle, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_find_cycle_finds_a_cycle():
    """Check that the cycle finder reports a cycle, and none where there is none."""
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_package_has_no_import_cycle():
    """Check that no chain of top-level imports in the package leads back to itself."""
    sources = _sources()
    edges = _package_edges(sources)
    assert len(edges) > 20  # the whole package was read
    assert _find_cycle(edges) is None


def test_function_level_imports_are_only_optional_packages():
    """Check that no import inside a function hides a package import (a cycle).

    Imports inside functions are kept for optional or heavy packages that a
    module must not import on its own (matplotlib, the backend's module).
    """
    allowed = ("matplotlib", "importlib", "skops", "jax", "tensorflow")
    hidden = []
    for module, path in _sources().items():
        for target, _, line, at_top in _imports(module, path):
            if at_top or target.startswith(allowed):
                continue
            hidden.append(f"{module}:{line} imports {target}")
    assert hidden == []


def _private_imports(module, path):
    bad = []
    for target, names, line, _ in _imports(module, path):
        root = target.split(".")[0]
        if root not in GUARDED:
            continue
        private_module = any(part.startswith("_") for part in target.split("."))
        private_names = [name for name in names if name.startswith("_")]
        if private_module or private_names:
            bad.append(f"{module}:{line} {target} {private_names}")
    return bad


@pytest.mark.parametrize("source", sorted(_sources()))
def test_private_names_only_through_compat(source):
    """Check that only ``_compat`` imports private sklearn, scikeras or Keras names."""
    if source.startswith(f"{PACKAGE}._compat"):
        return
    assert _private_imports(source, _sources()[source]) == []


def test_private_import_check_sees_private_names(tmp_path):
    """Check that the private-import check flags both kinds of private import."""
    path = tmp_path / "mod.py"
    path.write_text(
        "from sklearn.utils._param_validation import Interval\n"
        "from sklearn.base import _fit_context\n"
        "from sklearn.base import clone\n"
    )
    assert len(_private_imports("mod", path)) == 2

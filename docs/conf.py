"""Sphinx configuration of the skmultilabelnn site (``make docs``).

The gallery (``examples/``) and the ``.. plot::`` figures are executed at
build time, on the Keras backend in ``KERAS_BACKEND`` (``make docs`` sets
``tensorflow``, Keras' default: the gallery's small networks train as fast as
on JAX, and its convolutional network several times faster).

Intersphinx links to scikit-learn, NumPy, SciPy, matplotlib and Python are
off by default, so that an offline build (and ``-W``) never fails on an
inventory it cannot fetch: set ``SKMULTILABELNN_DOCS_INTERSPHINX=1`` to turn
them on when the network is there. Without them, references to those
projects render as plain code.
"""

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# Before anything imports Keras: quiet TensorFlow start-up.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The package is documented from this tree even when another copy is installed.
sys.path.insert(0, str(ROOT))

import skmultilabelnn  # noqa: E402

project = "skmultilabelnn"
author = "the skmultilabelnn developers"
copyright = "2026, the skmultilabelnn developers"  # noqa: A001
release = skmultilabelnn.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "README.md",
    "conftest.py",
    "**/sg_execution_times.rst",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
]
templates_path = ["_templates"]
default_role = "code"

# --- API reference ----------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False


def _skip_members_of_other_packages(app, what, name, obj, skip, options):
    """Document this package's own methods only: those inherited from
    scikit-learn or scikeras (``score``, ``set_fit_request``...) are theirs to
    document, and their docstrings use their sites' glossary and labels."""
    function = getattr(obj, "fget", obj)  # a property's getter
    module = getattr(function, "__module__", None) or ""
    if callable(function) and not module.startswith(project):
        return True
    return skip


# Words such as ``n_outputs_`` in docstring prose and type lines (``ndarray of
# shape (n_samples, n_outputs_)``) are hyperlink references to reStructuredText.
_TRAILING_UNDERSCORE = re.compile(
    r"(?<![\w`])([A-Za-z]\w*[A-Za-z0-9])_(?=[\s,.;:)\]]|$)"
)


# A numpydoc parameter or attribute line, ``name : type``: only its type is
# escaped, numpydoc renders the name itself.
_ITEM = re.compile(r"^(\s*[\w*][\w*, ]* : )(.*)$")


def _escape_trailing_underscores(app, what, name, obj, options, lines):
    """Escape ``word_`` outside inline literals, so it reads as the name."""
    for i, line in enumerate(lines):
        item = _ITEM.match(line)
        head, line = item.groups() if item else ("", line)
        if not item and re.fullmatch(r"\s*\w+", line):
            continue  # a name alone on its line: a numpydoc item without type
        parts = re.split(r"(``.*?``|`[^`]*`)", line)
        parts[::2] = [_TRAILING_UNDERSCORE.sub(r"\1\\_", part) for part in parts[::2]]
        lines[i] = head + "".join(parts)


def setup(app):
    app.connect("autodoc-skip-member", _skip_members_of_other_packages)
    # before numpydoc (priority 500) parses the sections
    app.connect("autodoc-process-docstring", _escape_trailing_underscores, priority=400)


# --- intersphinx: only when asked (see the module docstring) -----------------
intersphinx_mapping = {}
if os.environ.get("SKMULTILABELNN_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "scipy": ("https://docs.scipy.org/doc/scipy", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
    }
intersphinx_timeout = 10

# --- the gallery ----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "abort_on_example_error": True,
    # "Gallery examples using X" at the foot of each API page
    "doc_module": ("skmultilabelnn",),
    "backreferences_dir": "api/generated/backreferences",
    "show_memory": False,
    "min_reported_time": 0,
    # only what the examples print, not the repr of a block's last expression
    "capture_repr": (),
    "write_computation_times": True,
}

# --- executed figures in the user guide ------------------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.autolayout": True}

# --- MyST (the changelog and the benchmark results are Markdown) ------------
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# --- HTML ------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skmultilabelnn {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

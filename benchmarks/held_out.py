"""Check the defaults on the held-out sets, which nothing was developed on.

Issue 22 keeps six public sets aside (medical, bibtex, rcv1subset1, the
Yahoo sets recreation and science, Reuters-21578), so that the defaults
chosen on the development suite (``benchmarks/suite.py``,
``benchmarks/choose_defaults.py``) are checked on data nobody tuned for.
This script is that check, and only that: it runs what the suite runs (the
default network, the 0.1.x defaults, ``MLPClassifier()``, one-vs-rest
``SVC()`` on dense X or ``LinearSVC()`` on sparse X, all at their defaults,
on each set's standard train/test split, no training rows capped) and, on
Reuters-21578's raw text, the text methods of ``bench_wide_text`` in a
``TfidfVectorizer(sublinear_tf=True)`` pipeline. Nothing here may feed a
choice: a default changed after reading this report would no longer be
checked on unseen data.

The sets do not ship and are not in the suite's folder: convert them (the
suite's ``.npz`` format, see ``benchmarks/suite/README.md``; a raw-text set
holds ``X_train_text`` and ``X_test_text`` instead of X) into a folder of
their own, with a ``manifest.json`` naming them, and run::

    SKMULTILABELNN_HELD_OUT=/path/to/held_out python -m benchmarks.held_out
"""

import argparse
import os
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

from . import suite
from ._report import header_lines, markdown_table, publish
from ._runner import fit_and_score, progress
from ._suite import SHIPPED, load_split_file, manifest
from .bench_wide_text import methods as text_methods


def held_out_folder(folder=None):
    """The folder of the held-out sets: ``folder``, else the environment's
    ``SKMULTILABELNN_HELD_OUT``; never the suite's."""
    folder = folder or os.environ.get("SKMULTILABELNN_HELD_OUT")
    if not folder:
        raise ValueError(
            "Name the folder of the held-out sets with --folder or the "
            "environment variable SKMULTILABELNN_HELD_OUT; they do not ship."
        )
    folder = Path(folder)
    if folder.resolve() == SHIPPED.resolve():
        raise ValueError(f"{folder} is the development suite, not the held-out sets.")
    return folder


def is_text(folder, name):
    """Whether the held-out set ``name`` holds raw documents."""
    with np.load(folder / f"{name}.npz", allow_pickle=False) as archive:
        return "X_train_text" in archive.files


def run_text(folder, name):
    """The text methods on a raw-text set; its result rows."""
    with np.load(folder / f"{name}.npz", allow_pickle=False) as archive:
        parts = [archive[k] for k in ("X_train_text", "Y_train", "X_test_text")]
        texts_train, Y_train, texts_test = parts
        Y_test = archive["Y_test"]
    Y_train, Y_test = Y_train.astype(np.int64), Y_test.astype(np.int64)
    scored = {}
    chosen = list(text_methods(densified=False))
    for step, (method, make, _) in enumerate(chosen, start=1):
        estimator = make_pipeline(TfidfVectorizer(sublinear_tf=True), make())
        label = f"{name} ({len(texts_train)} documents): {method}"
        with progress(step, len(chosen), label):
            scored[method], _ = fit_and_score(
                estimator, list(texts_train), Y_train, list(texts_test), Y_test
            )
    return suite.rows_with_margins(name, scored, baselines=("OvR LinearSVC",))


def goal_lines(rows):
    """Issue 22's first goal per set: the default network against the best
    default baseline's micro-F1 minus 0.005 and macro-F1 minus 0.01."""
    lines = []
    for row in rows:
        if row["method"] != "Keras default" or "margin_micro" not in row:
            continue
        micro = row["margin_micro"] >= -suite.MICRO_SLACK
        macro = row["margin_macro"] >= -suite.MACRO_SLACK
        lines.append(
            f"- {row['dataset']}: micro-F1 {row['margin_micro']:+.3f} "
            f"({'met' if micro else 'missed'}), macro-F1 "
            f"{row['margin_macro']:+.3f} ({'met' if macro else 'missed'})"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", help="the held-out sets' folder")
    parser.add_argument("--datasets", nargs="+", metavar="NAME")
    parser.add_argument("--out", default="benchmarks/results")
    args = parser.parse_args(argv)
    folder = held_out_folder(args.folder)
    names = args.datasets or sorted(manifest(folder))
    text_names = [n for n in names if is_text(folder, n)]
    vector_names = [n for n in names if n not in text_names]
    rows = suite.run(
        vector_names,
        suite.SUITE_METHODS,
        None,
        load=lambda name: load_split_file(folder / f"{name}.npz", name, "held-out"),
    )
    for name in text_names:
        rows += run_text(folder, name)
    lines = header_lines("Held-out sets: the defaults checked on unseen data")
    lines += ["Full training parts (no rows capped), standard splits.", ""]
    lines.append(markdown_table(rows, suite._COLUMNS))
    lines += ["", "## Issue 22's first goal (default network vs best baseline)", ""]
    lines += goal_lines(rows)
    publish("\n".join(lines), rows, args.out, "held_out")
    assert all(np.isfinite(row["f1_micro"]) for row in rows)


if __name__ == "__main__":
    main()

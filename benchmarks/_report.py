"""Writing results: the environment header, markdown tables and CSV files."""

import csv
import importlib
import json
import os
import platform
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: Where the scripts write unless told otherwise (``--out``).
RESULTS_DIR = Path(__file__).resolve().parent / "results"

#: Column headers of the scores, in table order.
SCORE_HEADERS = {
    "hamming_loss": "Hamming loss",
    "subset_accuracy": "subset acc.",
    "f1_micro": "micro-F1",
    "f1_macro": "macro-F1",
    "f1_samples": "samples-F1",
    "jaccard_samples": "Jaccard",
    "fit_s": "fit s",
    "predict_s": "predict s",
}


def _version(distribution):
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def environment():
    """Keras backend, library versions and machine, as a dict of str."""
    import keras

    backend = keras.backend.backend()
    try:
        backend_version = importlib.import_module(backend).__version__
    except (ImportError, AttributeError):
        backend_version = "unknown"
    return {
        "keras backend": f"{backend} {backend_version}",
        "keras": keras.__version__,
        "skmultilabelnn": _version("skmultilabelnn"),
        "scikeras": _version("scikeras"),
        "scikit-learn": _version("scikit-learn"),
        "numpy": _version("numpy"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }


def header_lines(title, *, mode=None):
    """Markdown lines opening a results file: title, date, environment."""
    lines = [f"# {title}", ""]
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"- date: {date}" + (f"; mode: {mode}" if mode else ""))
    lines += [f"- {name}: {value}" for name, value in environment().items()]
    return [*lines, ""]


def format_value(key, value):
    """Seconds with 2 decimals, other floats 3 (margins signed), dicts name=value."""
    if isinstance(value, float) and key.endswith("_s"):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:+.3f}" if key.startswith("margin") else f"{value:.3f}"
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(
            f"{name}={item:.3g}" if isinstance(item, float) else f"{name}={item}"
            for name, item in value.items()
        )
    return str(value)


def markdown_table(rows, columns):
    """A markdown table of ``rows`` (dicts); ``columns`` maps keys to headers."""

    def is_numeric(key):
        values = [row.get(key) for row in rows]
        return any(
            isinstance(value, (int, float)) and not isinstance(value, bool)
            for value in values
        )

    align = "".join("---:|" if is_numeric(key) else "---|" for key in columns)
    lines = ["| " + " | ".join(columns.values()) + " |", "|" + align]
    for row in rows:
        cells = (format_value(key, row.get(key, "")) for key in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_csv(rows, path):
    """Write ``rows`` (dicts) to ``path``, one column per key; dicts as JSON."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as file:
        # every key of every row, in first-seen order; missing cells stay empty
        fieldnames = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(file, fieldnames=fieldnames, restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: json.dumps(value) if isinstance(value, dict) else value
                    for key, value in row.items()
                }
            )
    return path


def write_markdown(text, path):
    """Write ``text`` to ``path``, creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")
    return path


def add_out_argument(parser):
    """Give ``parser`` the ``--out`` folder option every script shares."""
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS_DIR,
        help="folder for the results files (default: benchmarks/results)",
    )


def add_datasets_argument(parser, names, *, option="--datasets", what="datasets"):
    """Give ``parser`` an option choosing some of ``names`` (default: all).

    ``--datasets`` by default; ``option`` and ``what`` name another choice
    (``--methods``).
    """
    parser.add_argument(
        option,
        nargs="+",
        choices=names,
        default=list(names),
        metavar="NAME",
        help=f"{what} to run, among {', '.join(names)} (default: all)",
    )


def publish(text, rows, out, stem):
    """Print ``text``, then write it to ``out/stem.md`` and ``rows`` to ``.csv``."""
    print(text)
    return [
        write_markdown(text, Path(out) / f"{stem}.md"),
        write_csv(rows, Path(out) / f"{stem}.csv"),
    ]

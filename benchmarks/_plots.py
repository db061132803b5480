"""Charts of the comparison's results, drawn off-screen with matplotlib."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

_MARKERS = "osD^vP*X"


def _ordered(rows, key):
    """Distinct values of ``key`` in ``rows``, in first-seen order."""
    return list(dict.fromkeys(row[key] for row in rows))


def plot_metric(rows, metric, label, path, *, log=False):
    """Grouped bars of ``metric``: one group per dataset, one bar per method."""
    datasets, methods = _ordered(rows, "dataset"), _ordered(rows, "method")
    values = {(row["dataset"], row["method"]): row[metric] for row in rows}
    width = 0.8 / len(methods)
    positions = np.arange(len(datasets))
    fig, ax = plt.subplots(figsize=(3.6 + 1.9 * len(datasets), 4.2))
    for i, method in enumerate(methods):
        heights = [values.get((dataset, method), np.nan) for dataset in datasets]
        ax.bar(
            positions + (i - (len(methods) - 1) / 2) * width,
            heights,
            width,
            label=method,
        )
    ax.set_xticks(positions, datasets)
    ax.set_ylabel(label)
    ax.set_title(label)
    if log:
        ax.set_yscale("log")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return Path(path)


def plot_quality_vs_time(rows, path, *, quality="f1_micro", label="micro-F1"):
    """Scatter of ``quality`` against fit seconds (log scale), per method and set."""
    datasets, methods = _ordered(rows, "dataset"), _ordered(rows, "method")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    fig, ax = plt.subplots(figsize=(9.5, 5))
    for row in rows:
        ax.scatter(
            row["fit_s"],
            row[quality],
            color=colors[methods.index(row["method"]) % len(colors)],
            marker=_MARKERS[datasets.index(row["dataset"]) % len(_MARKERS)],
            s=60,
        )
    # One legend for colours (methods), one for markers (datasets).
    method_handles = [
        plt.Line2D([], [], color=colors[i % len(colors)], marker="o", ls="")
        for i in range(len(methods))
    ]
    dataset_handles = [
        plt.Line2D([], [], color="grey", marker=_MARKERS[i % len(_MARKERS)], ls="")
        for i in range(len(datasets))
    ]
    outside = dict(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.add_artist(ax.legend(method_handles, methods, title="method", **outside))
    outside["bbox_to_anchor"] = (1.01, 0.45)
    ax.legend(dataset_handles, datasets, title="dataset", **outside)
    ax.set_xscale("log")
    ax.set_xlabel("fit seconds (grid search included), log scale")
    ax.set_ylabel(label)
    ax.set_title(f"{label} vs fit time")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return Path(path)

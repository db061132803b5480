"""Choose the estimator's defaults on the development suite, by mean rank.

Each candidate is a setting of ``KerasMultilabelClassifier``'s parameters
(:data:`CANDIDATES`). Every candidate and the default baselines of issue 22
(``MLPClassifier()``, one-vs-rest ``SVC()`` or, on sparse X, ``LinearSVC()``)
are fitted on every set of the suite (``benchmarks/suite``; never a held-out
set) and ranked per set by micro-F1 and by macro-F1 among all of them. A
candidate's score is its mean rank over the sets, micro and macro averaged;
the lowest wins. Leave-one-set-out says how far that choice can be trusted:
for each set, the candidate chosen on the other sets alone, and its rank and
margin to the best baseline on the set that took no part in the choice.

The work splits into shards that can run at once (``--shard 3/8`` runs every
eighth fit from the fourth), each writing its own CSV; ``--merge`` reads them
all and writes the report::

    python -m benchmarks.choose_defaults --shard 1/1 --out /tmp/choice
    python -m benchmarks.choose_defaults --merge /tmp/choice/*.csv

Seeds are fixed (``random_state=0``); a set larger than ``--max-train-rows``
trains on that many random rows, as in ``benchmarks.suite``.
"""

import argparse
import csv
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from skmultilabelnn import KerasMultilabelClassifier

from ._methods import FULL, make_method, scaled
from ._report import (
    add_datasets_argument,
    add_out_argument,
    header_lines,
    markdown_table,
    publish,
    write_csv,
)
from ._runner import fit_and_score, progress
from ._suite import load_suite_split, suite_names
from .suite import BASELINES, MACRO_SLACK, MICRO_SLACK, OLD_DEFAULT_PARAMS

#: Every candidate starts from the 0.1.x defaults, written out, so that the
#: candidates stay what they were when the defaults change.
_AUTO = {**OLD_DEFAULT_PARAMS, "threshold": "auto", "threshold_cv": "ensemble"}

#: Settings tried, by name: each is ``KerasMultilabelClassifier(random_state=0,
#: **setting)``. "0.1.x defaults" is the estimator before this choice; the
#: others learn their
#: thresholds from the cross-fitted ensemble (``threshold_cv="ensemble"``),
#: which costs no training beyond the fit's, and change one thing at a time.
CANDIDATES = {
    "0.1.x defaults": OLD_DEFAULT_PARAMS,
    "auto": _AUTO,
    "auto, width 256": {**_AUTO, "hidden_layer_sizes": (256,)},
    "auto, width 512": {**_AUTO, "hidden_layer_sizes": (512,)},
    "auto, 256-128": {**_AUTO, "hidden_layer_sizes": (256, 128)},
    "auto, dropout 0.2": {**_AUTO, "dropout": 0.2},
    "auto, width 512, dropout 0.5": {
        **_AUTO,
        "hidden_layer_sizes": (512,),
        "dropout": 0.5,
    },
    "auto, lr 0.003": {**_AUTO, "learning_rate": 0.003},
    "auto, lr 0.0003": {**_AUTO, "learning_rate": 0.0003},
    "auto, patience 20": {**_AUTO, "n_iter_no_change": 20},
    "auto, patience 5": {**_AUTO, "n_iter_no_change": 5},
    "auto, 3 members": {**_AUTO, "ensemble_size": 3},
    "auto, 10 members": {**_AUTO, "ensemble_size": 10},
    "auto, batch 64": {**_AUTO, "batch_size": 64},
    "auto, AdamW": {**_AUTO, "optimizer": "adamw"},
}

# A second round around the first round's best (width 512, dropout 0.5):
# wider and narrower, less dropout, and what makes it cheaper.
_WIDE = {**_AUTO, "hidden_layer_sizes": (512,), "dropout": 0.5}
SECOND_ROUND = {
    "auto, width 1024, dropout 0.5": {**_WIDE, "hidden_layer_sizes": (1024,)},
    "auto, width 256, dropout 0.5": {**_WIDE, "hidden_layer_sizes": (256,)},
    "auto, width 512, dropout 0.3": {**_WIDE, "dropout": 0.3},
    "auto, width 512, dropout 0.5, patience 5": {**_WIDE, "n_iter_no_change": 5},
    "auto, width 512, dropout 0.5, lr 0.003": {**_WIDE, "learning_rate": 0.003},
    "auto, width 512, dropout 0.5, batch 64": {**_WIDE, "batch_size": 64},
    "auto, width 512, dropout 0.5, 3 members": {**_WIDE, "ensemble_size": 3},
    "auto, width 512, dropout 0.5, lr 0.003, patience 5": {
        **_WIDE,
        "learning_rate": 0.003,
        "n_iter_no_change": 5,
    },
}
# A third round: the second round's choice, early-stopped on the validation
# rows' ROC AUC (scoring="roc_auc") instead of their loss.
_CHOSEN = SECOND_ROUND["auto, width 512, dropout 0.5, lr 0.003, patience 5"]
THIRD_ROUND = {
    "auto, width 512, dropout 0.5, lr 0.003, patience 5, roc_auc": {
        **_CHOSEN,
        "scoring": "roc_auc",
    },
}
# A fourth round: the third round's choice (today's defaults) with larger
# batches, which take fewer steps an epoch, at the learning rate scaled by the
# square root of the batch's growth (the square-root rule for adaptive
# optimizers) and, for one size, unscaled.
_DEFAULTS = THIRD_ROUND["auto, width 512, dropout 0.5, lr 0.003, patience 5, roc_auc"]
FOURTH_ROUND = {
    "defaults, batch 64, lr 0.0042": {
        **_DEFAULTS,
        "batch_size": 64,
        "learning_rate": 0.0042,
    },
    "defaults, batch 128": {**_DEFAULTS, "batch_size": 128},
    "defaults, batch 128, lr 0.006": {
        **_DEFAULTS,
        "batch_size": 128,
        "learning_rate": 0.006,
    },
    "defaults, batch 256, lr 0.0085": {
        **_DEFAULTS,
        "batch_size": 256,
        "learning_rate": 0.0085,
    },
}
FIRST_ROUND = dict(CANDIDATES)
CANDIDATES |= SECOND_ROUND | THIRD_ROUND | FOURTH_ROUND
#: Each round's methods, by number (the first with the baselines).
ROUNDS = {
    1: list(FIRST_ROUND) + list(BASELINES),
    2: list(SECOND_ROUND),
    3: list(THIRD_ROUND),
    4: list(FOURTH_ROUND),
}

_COLUMNS = {
    "candidate": "candidate",
    "rank": "mean rank",
    "rank_micro": "micro",
    "rank_macro": "macro",
    "worst_micro": "worst micro margin",
    "worst_macro": "worst macro margin",
    "below": "sets below the bar",
}

_LOSO_COLUMNS = {
    "dataset": "set left out",
    "chosen": "chosen on the others",
    "rank_micro": "its micro rank there",
    "rank_macro": "its macro rank there",
    "margin_micro": "micro vs best baseline",
    "margin_macro": "macro vs best baseline",
}


def _make(method, split):
    if method in CANDIDATES:
        network = KerasMultilabelClassifier(random_state=0, **CANDIDATES[method])
        return scaled(network, split.sparse)
    return make_method(method, FULL, split.n_features, split.sparse)


def jobs(names, methods):
    """Every (set, method) fit, set by set (shards take every n-th)."""
    return [(name, method) for name in names for method in methods]


def run_shard(names, methods, shard, n_shards, max_train_rows, path):
    """Fit and score this shard's share of the jobs, writing rows to ``path``.

    The file is rewritten after every fit, so a shard stopped early leaves
    what it finished.
    """
    mine = jobs(names, methods)[shard::n_shards]
    rows = []
    for step, (name, method) in enumerate(mine, start=1):
        split = load_suite_split(name).subsample_train(max_train_rows)
        with progress(step, len(mine), f"{name}: {method}"):
            scores, _ = fit_and_score(
                _make(method, split),
                split.X_train,
                split.y_train,
                split.X_test,
                split.y_test,
            )
        rows.append({"dataset": name, "method": method, **scores})
        write_csv(rows, path)


def ranks(rows, key):
    """``{set: {method: rank}}`` of ``key`` among the methods (1 is best)."""
    out = {}
    for name in dict.fromkeys(row["dataset"] for row in rows):
        of_set = {r["method"]: float(r[key]) for r in rows if r["dataset"] == name}
        methods = list(of_set)
        values = np.array([of_set[m] for m in methods])
        out[name] = dict(zip(methods, rankdata(-values), strict=True))
    return out


def margins(rows, key):
    """``{set: {method: value minus the best baseline's}}``."""
    out = {}
    for name in dict.fromkeys(row["dataset"] for row in rows):
        of_set = {r["method"]: float(r[key]) for r in rows if r["dataset"] == name}
        best = max(of_set[m] for m in BASELINES if m in of_set)
        out[name] = {m: value - best for m, value in of_set.items()}
    return out


def choose(rank_micro, rank_macro, candidates, sets):
    """The candidate of lowest mean rank (micro and macro averaged) on ``sets``."""

    def score(candidate):
        return np.mean(
            [(rank_micro[s][candidate] + rank_macro[s][candidate]) / 2 for s in sets]
        )

    return min(candidates, key=score), {c: score(c) for c in candidates}


def summary(rows):
    """The candidates' table, the choice, and the leave-one-set-out rows."""
    sets = list(dict.fromkeys(row["dataset"] for row in rows))
    candidates = [c for c in CANDIDATES if any(r["method"] == c for r in rows)]
    rank_micro, rank_macro = ranks(rows, "f1_micro"), ranks(rows, "f1_macro")
    margin_micro, margin_macro = margins(rows, "f1_micro"), margins(rows, "f1_macro")
    chosen, scores = choose(rank_micro, rank_macro, candidates, sets)
    table = []
    for c in sorted(candidates, key=scores.get):
        below = [
            s
            for s in sets
            if margin_micro[s][c] < -MICRO_SLACK or margin_macro[s][c] < -MACRO_SLACK
        ]
        table.append(
            {
                "candidate": c,
                "rank": scores[c],
                "rank_micro": np.mean([rank_micro[s][c] for s in sets]),
                "rank_macro": np.mean([rank_macro[s][c] for s in sets]),
                "worst_micro": min(margin_micro[s][c] for s in sets),
                "worst_macro": min(margin_macro[s][c] for s in sets),
                "below": len(below),
            }
        )
    loso = []
    for left_out in sets:
        others = [s for s in sets if s != left_out]
        pick, _ = choose(rank_micro, rank_macro, candidates, others)
        loso.append(
            {
                "dataset": left_out,
                "chosen": pick,
                "rank_micro": rank_micro[left_out][pick],
                "rank_macro": rank_macro[left_out][pick],
                "margin_micro": margin_micro[left_out][pick],
                "margin_macro": margin_macro[left_out][pick],
            }
        )
    return chosen, table, loso


def report(rows, note=None):
    chosen, table, loso = summary(rows)
    n_methods = len({r["method"] for r in rows})
    lines = header_lines("Choosing the defaults on the development suite")
    lines += ["", note] if note else []
    lines += [
        "",
        f"{len({r['dataset'] for r in rows})} sets; ranks among {n_methods} "
        "methods (the candidates and the baselines "
        f"{', '.join(BASELINES)}); 'below the bar': micro-F1 more than 0.005 "
        "or macro-F1 more than 0.01 under the best baseline.",
        "",
        "## Candidates by mean rank",
        "",
        markdown_table(table, _COLUMNS),
        "",
        f"Chosen on all sets: **{chosen}**.",
        "",
        "## Leave one set out",
        "",
        markdown_table(loso, _LOSO_COLUMNS),
    ]
    return "\n".join(lines)


def read_rows(paths):
    """The shards' rows, of the sets that every method finished."""
    rows = []
    for path in paths:
        with open(path, newline="") as file:
            rows += list(csv.DictReader(file))
    methods = {r["method"] for r in rows}
    complete = {
        name
        for name in {r["dataset"] for r in rows}
        if {r["method"] for r in rows if r["dataset"] == name} == methods
    }
    return [r for r in rows if r["dataset"] in complete]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_datasets_argument(parser, suite_names())
    methods = list(CANDIDATES) + list(BASELINES)
    add_datasets_argument(parser, methods, option="--methods", what="methods")
    parser.add_argument(
        "--round",
        type=int,
        choices=sorted(ROUNDS),
        help="run one round's candidates (1 with the baselines), not --methods",
    )
    parser.add_argument("--shard", default="1/1", help="i/n: run the i-th of n parts")
    parser.add_argument("--merge", nargs="+", help="CSV files of shards to report on")
    parser.add_argument("--note", help="a line for the report (where the shards ran)")
    parser.add_argument("--max-train-rows", type=int, default=2000)
    add_out_argument(parser)
    args = parser.parse_args(argv)
    if args.merge:
        rows = read_rows(args.merge)
        publish(report(rows, args.note), rows, args.out, "choose_defaults")
        return
    shard, n_shards = (int(part) for part in args.shard.split("/"))
    if args.round is not None:
        args.methods = ROUNDS[args.round]
    path = Path(args.out) / f"choose_defaults_shard{shard}of{n_shards}.csv"
    run_shard(
        args.datasets, args.methods, shard - 1, n_shards, args.max_train_rows, path
    )


if __name__ == "__main__":
    main()

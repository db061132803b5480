"""The example plots of the README, drawn with ``skmultilabelnn.plots``.

Fits a default ``KerasMultilabelClassifier`` with ``threshold="auto"`` and
``validation_split=0.2`` (after a ``StandardScaler``, ``random_state=0``, 60
epochs by default) on the training part of the bundled yeast set, then writes:

- ``training_curves.png``: ``TrainingCurveDisplay``, the training and
  validation loss per epoch;
- ``label_scores.png``: ``LabelScoresDisplay`` on the yeast test part: each
  label's F1, its support and its learned threshold.

Writes to ``docs/images/`` (``--out DIR`` to change it). About 15 seconds on 2
cores. Run from the repository root::

    python -m benchmarks.plot_examples [--out DIR] [--epochs N]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skmultilabelnn import KerasMultilabelClassifier  # noqa: E402
from skmultilabelnn.datasets import load_yeast  # noqa: E402
from skmultilabelnn.plots import LabelScoresDisplay, TrainingCurveDisplay  # noqa: E402

DEFAULT_OUT = Path("docs/images")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder for the PNG files"
    )
    parser.add_argument("--epochs", type=int, default=60, help="training epochs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    train, test = load_yeast(subset="train"), load_yeast(subset="test")
    pipe = make_pipeline(
        StandardScaler(),
        KerasMultilabelClassifier(
            threshold="auto",
            validation_split=0.2,
            epochs=args.epochs,
            random_state=0,
            # one network for every epoch: the curves show where it overfits
            ensemble_size=1,
            early_stopping=False,
        ),
    )
    pipe.fit(train.data, train.target)

    curves = TrainingCurveDisplay.from_estimator(pipe)
    curves.ax_[0].set_title("yeast: binary cross-entropy per epoch")
    scores = LabelScoresDisplay.from_estimator(
        pipe, test.data, test.target, display_labels=train.target_names
    )
    scores.ax_.set_title("yeast test set: F1 per label")

    displays = {"training_curves.png": curves, "label_scores.png": scores}
    paths = []
    for name, display in displays.items():
        display.figure_.tight_layout()
        display.figure_.savefig(args.out / name, dpi=100)
        plt.close(display.figure_)
        paths.append(args.out / name)

    history = pipe[-1].history_
    assert len(history["loss"]) == len(history["val_loss"]) == args.epochs
    assert all(path.stat().st_size > 0 for path in paths)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()

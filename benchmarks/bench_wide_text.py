"""Wide sparse text: the network beside linear models, and the sparse path
beside the densified one.

Sets (all sparse X):

- ``enron`` and ``delicious`` (bundled; their fixed train/test splits);
- ``text-unigrams`` and ``text-bigrams``: a generated corpus of 8,000
  training and 2,000 test documents (40 topics as labels, 1-3 a document,
  words from a Zipf-distributed vocabulary of 40,000 made-up words, a tenth
  of each document's words from its topics' own word distributions; see
  ``make_corpus``), turned into features by
  ``TfidfVectorizer(sublinear_tf=True)`` with unigrams (about 30,000
  columns) or unigrams and bigrams (about 500,000), the vectorizer fitted
  on the training documents within the timed fit (a pipeline).

Methods, each fitted on the training rows and scored (micro- and macro-F1)
on the test rows, with fit seconds, one after the other in this process:

- ``Keras default``: ``KerasMultilabelClassifier(random_state=0)`` (sparse
  X through the first layer's sparse product, lazy Adam updates);
- ``Keras default, X densified`` (enron and delicious only): the same on
  ``X.toarray()``, the path a sparse X took before the sparse product;
- ``Keras default, sparse product forced`` (enron and delicious only): the
  default on sparse X through the first layer's sparse product, which the
  engine leaves to X much wider than the columns a batch touches (these two
  are not: it densifies their batches);
- ``OvR LinearSVC``: ``OneVsRestClassifier(LinearSVC())``;
- ``tuner(OvR LinearSVC)``:
  ``MultilabelThresholdTuner(OneVsRestClassifier(LinearSVC()), cv=3)``.

The ratios printed after the table are those the wide-text issue sets
goals on: the default's fit time over the tuner's (goal <= 5) and the
densified path's over the sparse one's (goal >= 3), with the F1
differences. Run from the repository root (about 10 minutes on 2 cores with
JAX)::

    KERAS_BACKEND=jax python -m benchmarks.bench_wide_text [--sets ...]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from skmultilabelnn import KerasMultilabelClassifier, MultilabelThresholdTuner
from skmultilabelnn._engine import _sparse_rows
from skmultilabelnn.datasets import load_delicious, load_enron

from ._report import add_out_argument, header_lines, markdown_table, publish

SETS = ("enron", "delicious", "text-unigrams", "text-bigrams")

#: The generated corpus: documents, topics, vocabulary, each document's
#: share of words drawn from its topics (the rest from the background).
N_TRAIN, N_TEST, N_TOPICS, VOCABULARY, TOPICAL = 8_000, 2_000, 40, 40_000, 0.1


def make_corpus(seed=0):
    """``(texts, Y)`` of the generated corpus, ``N_TRAIN + N_TEST`` documents.

    Words follow a Zipf law over the vocabulary; each topic prefers 400 words
    drawn from the 10,000 most frequent (so topics share words with each
    other and with the background), and a document of 1-3 topics (popular
    topics more often) draws ``TOPICAL`` of its 40-200 words from them.
    """
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(VOCABULARY)])
    background = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.05
    background /= background.sum()
    topic_words = [rng.choice(10_000, size=400, replace=False) for _ in range(N_TOPICS)]
    topic_weights = 1.0 / np.arange(1, 401) ** 0.8
    topic_weights /= topic_weights.sum()
    popularity = 1.0 / np.arange(1, N_TOPICS + 1) ** 0.9
    popularity /= popularity.sum()
    n_docs = N_TRAIN + N_TEST
    texts, Y = [], np.zeros((n_docs, N_TOPICS), dtype=np.int64)
    for d in range(n_docs):
        n_topics = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        topics = rng.choice(N_TOPICS, size=n_topics, replace=False, p=popularity)
        Y[d, topics] = 1
        length = int(rng.integers(40, 200))
        n_topical = rng.binomial(length, TOPICAL)
        tokens = list(rng.choice(VOCABULARY, size=length - n_topical, p=background))
        for topic in rng.choice(topics, size=n_topical):
            tokens.append(topic_words[topic][rng.choice(400, p=topic_weights)])
        rng.shuffle(tokens)
        texts.append(" ".join(words[tokens]))
    return np.array(texts, dtype=object), Y


def load(name):
    """``(X_train, Y_train, X_test, Y_test, vectorizer or None)``."""
    if name in ("enron", "delicious"):
        loader = {"enron": load_enron, "delicious": load_delicious}[name]
        X_train, Y_train = loader(subset="train", return_X_y=True)
        X_test, Y_test = loader(subset="test", return_X_y=True)
        return X_train, Y_train, X_test, Y_test, None
    texts, Y = make_corpus()
    ngrams = (1, 1) if name == "text-unigrams" else (1, 2)
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=ngrams)
    return texts[:N_TRAIN], Y[:N_TRAIN], texts[N_TRAIN:], Y[N_TRAIN:], vectorizer


def methods(densified):
    yield "Keras default", lambda: KerasMultilabelClassifier(random_state=0), False
    if densified:
        yield (
            "Keras default, X densified",
            lambda: KerasMultilabelClassifier(random_state=0),
            True,
        )
        yield (
            "Keras default, sparse product forced",
            lambda: KerasMultilabelClassifier(random_state=0),
            "forced",
        )
    yield "OvR LinearSVC", lambda: OneVsRestClassifier(LinearSVC()), False
    yield (
        "tuner(OvR LinearSVC)",
        lambda: MultilabelThresholdTuner(OneVsRestClassifier(LinearSVC()), cv=3),
        False,
    )


def measure(name):
    X_train, Y_train, X_test, Y_test, vectorizer = load(name)
    rows = []
    for method, make, densify in methods(densified=vectorizer is None):
        estimator = make()
        if vectorizer is not None:
            estimator = make_pipeline(vectorizer, estimator)
        train, test = (X_train, X_test)
        if densify is True:
            train, test = train.toarray(), test.toarray()
        # the engine's rule sends narrow sparse X (enron, delicious) through
        # densified batches; "forced" measures the sparse product there too
        ratio = _sparse_rows.MIN_WIDTH_RATIO
        _sparse_rows.MIN_WIDTH_RATIO = 0 if densify == "forced" else ratio
        try:
            start = time.perf_counter()
            estimator.fit(train, Y_train)
            fit_s = time.perf_counter() - start
            predicted = estimator.predict(test)
        finally:
            _sparse_rows.MIN_WIDTH_RATIO = ratio
        n_features = (
            len(estimator[0].vocabulary_)
            if vectorizer is not None
            else X_train.shape[1]
        )
        rows.append(
            {
                "set": name,
                "shape": f"{len(Y_train)} x {n_features}, {Y_train.shape[1]} labels",
                "method": method,
                "micro_f1": f1_score(Y_test, predicted, average="micro"),
                "macro_f1": f1_score(
                    Y_test, predicted, average="macro", zero_division=0
                ),
                "fit_s": fit_s,
            }
        )
        print(rows[-1], flush=True)
    return rows


def ratios(rows):
    """Lines comparing the default with the tuner and with the densified path."""
    by = {(r["set"], r["method"]): r for r in rows}
    lines = []
    for name in dict.fromkeys(r["set"] for r in rows):
        ours = by[name, "Keras default"]
        for other, what in (
            ("tuner(OvR LinearSVC)", "fit time / tuner's (goal <= 5)"),
            ("Keras default, X densified", "densified fit time / sparse (goal >= 3)"),
            (
                "Keras default, sparse product forced",
                "densified batches' fit time / sparse product's (for the record)",
            ),
        ):
            if (name, other) not in by:
                continue
            theirs = by[name, other]
            ratio = (
                ours["fit_s"] / theirs["fit_s"]
                if not other.endswith("densified")
                else theirs["fit_s"] / ours["fit_s"]
            )
            scores = ", ".join(
                f"{label} {ours[key]:.3f} vs {theirs[key]:.3f} "
                f"({ours[key] - theirs[key]:+.3f})"
                for key, label in (("micro_f1", "micro-F1"), ("macro_f1", "macro-F1"))
            )
            lines.append(f"- {name}: {what}: {ratio:.2f}; {scores}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    add_out_argument(parser)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = [row for name in args.sets for row in measure(name)]
    import keras

    lines = header_lines("Wide sparse text", mode=f"backend {keras.backend.backend()}")
    lines += [
        markdown_table(
            rows,
            {
                "set": "set",
                "shape": "train rows x features",
                "method": "method",
                "micro_f1": "micro-F1",
                "macro_f1": "macro-F1",
                "fit_s": "fit s",
            },
        ),
        "",
        *ratios(rows),
    ]
    publish("\n".join(lines) + "\n", rows, args.out, "bench_wide_text")


if __name__ == "__main__":
    main()

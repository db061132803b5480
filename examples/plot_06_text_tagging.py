"""
===================================
Tagging raw text with TF-IDF
===================================

From raw strings to tags in one :class:`~sklearn.pipeline.Pipeline`:
:class:`~sklearn.feature_extraction.text.TfidfVectorizer` turns the texts into
a sparse matrix, and the network trains on it without ever densifying it
whole. Tags come as sets of names; :class:`~sklearn.preprocessing.MultiLabelBinarizer`
turns them into the 0/1 matrix the estimator learns, and back.

The corpus is a small generated one (no download): each short "post" has one
to three topics and is written with a few words of those topics, one word
of another topic, and common filler words; some posts lack words of one of
their topics, so no model can tag every post right. For real bag-of-words data see
:func:`~skmultilabelnn.datasets.load_enron` (53 labels) and
:func:`~skmultilabelnn.datasets.load_delicious` (983 labels), which return a
sparse CSR X ready for the same estimator.
"""

# %%
# A small corpus of tagged posts
# ------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from skmultilabelnn import KerasMultilabelClassifier

TOPIC_WORDS = {
    "sport": "goal match team league coach striker stadium season referee penalty",
    "tech": "chip cloud code software laptop startup data server network app",
    "food": "recipe cheese wine soup bread chef dinner kitchen spicy dessert",
    "travel": "flight hotel beach passport island train museum journey map tour",
    "politics": "vote election minister law parliament policy debate tax campaign",
}
FILLER = "the a of and to in for with new this that our after before big".split()
rng = np.random.default_rng(0)


def make_posts(n_posts):
    """Posts of 1 to 3 topics: two words of each topic, one word of another
    topic (a distractor), and filler; a topic's words are sometimes missing."""
    texts, tags = [], []
    for _ in range(n_posts):
        n_topics = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        topics = sorted(str(t) for t in rng.choice(list(TOPIC_WORDS), n_topics, False))
        words = []
        for topic in topics:
            n_words = rng.choice([0, 1, 2], p=[0.1, 0.3, 0.6])
            words += list(rng.choice(TOPIC_WORDS[topic].split(), n_words))
        other = rng.choice([t for t in TOPIC_WORDS if t not in topics])
        words += [rng.choice(TOPIC_WORDS[other].split())]
        words += list(rng.choice(FILLER, 6))
        texts.append(" ".join(rng.permutation(words)))
        tags.append(tuple(topics))
    return texts, tags


texts_train, tags_train = make_posts(800)
texts_test, tags_test = make_posts(300)
for text, tags in zip(texts_train[:3], tags_train[:3], strict=True):
    print(f"{tags}: {text!r}")

# %%
# Tags to a 0/1 matrix, then one pipeline from strings
# ----------------------------------------------------
binarizer = MultiLabelBinarizer()
Y_train = binarizer.fit_transform(tags_train)
Y_test = binarizer.transform(tags_test)
print("tags:", binarizer.classes_.tolist(), "Y:", Y_train.shape)

pipe = make_pipeline(
    TfidfVectorizer(),
    KerasMultilabelClassifier(hidden_layer_sizes=(64,), epochs=20, random_state=0),
)
pipe.fit(texts_train, Y_train)
X_sparse = pipe[0].transform(texts_test)
print(
    f"TF-IDF X: {X_sparse.shape}, {type(X_sparse).__name__}, "
    f"{X_sparse.nnz / np.prod(X_sparse.shape):.1%} non-zero"
)

# %%
# Scores per tag
# --------------
Y_pred = pipe.predict(texts_test)
f1 = f1_score(Y_test, Y_pred, average=None)
for tag, score in zip(binarizer.classes_, f1, strict=True):
    print(f"{tag:>9}: F1 {score:.3f}")
print(f"micro-F1 {f1_score(Y_test, Y_pred, average='micro'):.3f}")

# %%
# New strings, back to tag names
# ------------------------------
new_posts = [
    "the chef cooked a spicy soup at the stadium after the match",
    "our startup moved its data to the cloud",
    "minister debate on tax for flight tickets",
]
for post, tags in zip(
    new_posts, binarizer.inverse_transform(pipe.predict(new_posts)), strict=True
):
    print(f"{tags}: {post!r}")

# %%
# The probabilities behind those tags
# -----------------------------------
proba = pipe.predict_proba(new_posts)
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
image = ax.imshow(proba, vmin=0, vmax=1, cmap="Blues")
ax.set_xticks(range(len(binarizer.classes_)), binarizer.classes_)
ax.set_yticks(range(len(new_posts)), [f"post {i + 1}" for i in range(len(new_posts))])
fig.colorbar(image, label="predict_proba")
ax.set_title("one probability per tag")

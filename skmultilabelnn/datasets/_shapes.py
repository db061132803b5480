"""Synthetic multilabel images: which of a few coloured shapes each image shows."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._compat._sklearn import Interval, validate_params

#: Shape names :func:`make_multilabel_shapes` can draw.
SUPPORTED_SHAPES = ("circle", "square", "triangle", "cross")

# Shape sizes (bounding-box width) as fractions of the image size.
_MIN_SIZE, _MAX_SIZE = 0.20, 0.35
# Background channels lie in [0, _MAX_BACKGROUND]; the brightest channel of a
# shape's colour in [_MIN_BRIGHTNESS, 1], so shapes stand out from the background.
_MAX_BACKGROUND = 0.15
_MIN_BRIGHTNESS = 0.75


def _shape_mask(name, u, v):
    """Pixels inside shape ``name``, in coordinates scaled to a half-size of 1.

    ``u`` and ``v`` are the horizontal and vertical offsets of the pixel
    centres from the shape's centre, divided by half the shape's size; ``v``
    grows downwards. Each shape fits in the square ``|u|, |v| <= 1`` and
    contains its centre ``u = v = 0``.
    """
    if name == "circle":
        return u**2 + v**2 <= 1
    if name == "square":
        # A bit smaller than its box so its area is close to the circle's.
        return (np.abs(u) <= 0.85) & (np.abs(v) <= 0.85)
    if name == "triangle":
        # Apex at the top, base at the bottom.
        return (v <= 1) & (np.abs(u) <= (v + 1) / 2)
    # cross: a plus sign with arms 0.6 wide.
    return ((np.abs(u) <= 1) & (np.abs(v) <= 0.3)) | (
        (np.abs(v) <= 1) & (np.abs(u) <= 0.3)
    )


def _check_shapes(shapes):
    """Return ``shapes`` as a tuple of str after checking the names."""
    shapes = tuple(str(name) for name in np.asarray(shapes, dtype=object).ravel())
    if not shapes:
        raise ValueError(
            f"shapes must name at least one shape; supported: {list(SUPPORTED_SHAPES)}"
        )
    for name in shapes:
        if name not in SUPPORTED_SHAPES:
            raise ValueError(
                f"Unknown shape {name!r} in shapes; supported shapes are "
                f"{list(SUPPORTED_SHAPES)}."
            )
    if len(set(shapes)) < len(shapes):
        raise ValueError(f"shapes must not repeat a name, got {list(shapes)}.")
    return shapes


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "image_size": [Interval(Integral, 8, None, closed="left")],
        "shapes": ["array-like"],
        "p_present": [Interval(Real, 0, 1, closed="both")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "return_shape_names": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_multilabel_shapes(
    n_samples=1000,
    *,
    image_size=32,
    shapes=SUPPORTED_SHAPES,
    p_present=0.4,
    noise=0.05,
    random_state=None,
    return_shape_names=False,
):
    """Generate small RGB images labelled by the shapes they show.

    Each image has a dark background of a random colour. Each shape in
    ``shapes`` is drawn in it, independently with probability ``p_present``,
    once, filled with a random bright colour, at a random position, with a
    random size of 20% to 35% of ``image_size``. Gaussian noise is then added
    to every pixel and the values clipped to [0, 1]. Label ``j`` of an image
    is 1 exactly when ``shapes[j]`` was drawn in it.

    Shapes may partly overlap. The larger shapes of an image are drawn first,
    so a shape is never hidden behind a larger one: every label set to 1
    shows in the image.

    This is the offline stand-in for the 32x32x3 multilabel images of the
    convolutional-network tutorial: it needs no download and runs in
    milliseconds per hundred images.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of images.

    image_size : int, default=32
        Height and width of each image in pixels; at least 8.

    shapes : array-like of str, default=("circle", "square", "triangle", \
"cross")
        The shapes, one per label column, in that order. A non-empty selection,
        without repeats, of ``"circle"``, ``"square"``, ``"triangle"`` and
        ``"cross"``.

    p_present : float, default=0.4
        Probability that each shape appears in an image, in [0, 1].

    noise : float, default=0.05
        Standard deviation of the Gaussian noise added to each pixel value.

    random_state : int, RandomState instance or None, default=None
        Determines the random numbers drawn. Pass an int for reproducible
        output across multiple function calls. See `random_state
        <https://scikit-learn.org/stable/glossary.html#term-random_state>`_
        in scikit-learn's glossary.

    return_shape_names : bool, default=False
        If True, also return the names of the label columns.

    Returns
    -------
    X : ndarray of shape (n_samples, image_size, image_size, 3), dtype float32
        The images, channels last, values in [0, 1].

    Y : ndarray of shape (n_samples, n_shapes), dtype int64
        The 0/1 label indicator matrix: ``Y[i, j] == 1`` if image ``i``
        shows ``shapes[j]``.

    shape_names : ndarray of shape (n_shapes,), dtype str
        The shape of each label column. Only returned if
        ``return_shape_names`` is True.

    See Also
    --------
    sklearn.datasets.make_multilabel_classification : Multilabel tabular data.
    load_scene : Real multilabel scene images, as colour-moment features.

    Examples
    --------
    >>> from skmultilabelnn.datasets import make_multilabel_shapes
    >>> X, Y = make_multilabel_shapes(10, random_state=0)
    >>> X.shape, Y.shape
    ((10, 32, 32, 3), (10, 4))
    >>> X, Y, names = make_multilabel_shapes(
    ...     5, image_size=16, shapes=["circle", "cross"], return_shape_names=True,
    ...     random_state=0)
    >>> X.shape, Y.shape, names.tolist()
    ((5, 16, 16, 3), (5, 2), ['circle', 'cross'])
    """
    shapes = _check_shapes(shapes)
    rng = check_random_state(random_state)
    n_shapes = len(shapes)

    # Random numbers are drawn in a fixed order, whether or not a shape is
    # present, so the output depends only on the arguments.
    present = rng.uniform(size=(n_samples, n_shapes)) < p_present
    half_sizes = (
        0.5 * image_size * rng.uniform(_MIN_SIZE, _MAX_SIZE, (n_samples, n_shapes))
    )
    # Centres keep the shape inside the image, then snap to a pixel centre so
    # that the centre pixel, inside every shape, is always drawn.
    centres = rng.uniform(
        half_sizes[..., None],
        image_size - half_sizes[..., None],
        (n_samples, n_shapes, 2),
    )
    centres = np.floor(centres) + 0.5
    colours = rng.uniform(0.25, 1.0, (n_samples, n_shapes, 3))
    colours *= rng.uniform(_MIN_BRIGHTNESS, 1.0, (n_samples, n_shapes, 1)) / (
        colours.max(axis=2, keepdims=True)
    )
    backgrounds = rng.uniform(0.0, _MAX_BACKGROUND, (n_samples, 3))

    # masks[j, i] holds the pixels of shape j in image i (empty if absent).
    pixel_centres = np.arange(image_size) + 0.5
    masks = np.zeros((n_shapes, n_samples, image_size, image_size), dtype=bool)
    for j, name in enumerate(shapes):
        rows = np.flatnonzero(present[:, j])
        half = half_sizes[rows, j, None, None]
        u = (pixel_centres[None, None, :] - centres[rows, j, 0, None, None]) / half
        v = (pixel_centres[None, :, None] - centres[rows, j, 1, None, None]) / half
        masks[j, rows] = _shape_mask(name, u, v)

    # Paint each image's shapes from the largest to the smallest.
    order = np.argsort(-masks.sum(axis=(2, 3)).T, axis=1, kind="stable")
    images = np.arange(n_samples)
    X = np.empty((n_samples, image_size, image_size, 3), dtype=np.float32)
    X[...] = backgrounds[:, None, None, :]
    for rank in range(n_shapes):
        shape_index = order[:, rank]
        np.copyto(
            X,
            colours[images, shape_index, None, None, :],
            where=masks[shape_index, images, :, :, None],
        )
    if noise > 0:
        # Drawn last: the images without noise are the same as with it.
        X += noise * rng.standard_normal(X.shape)
    np.clip(X, 0.0, 1.0, out=X)
    Y = present.astype(np.int64)
    if return_shape_names:
        return X, Y, np.asarray(shapes, dtype=str)
    return X, Y

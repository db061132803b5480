"""``python -m benchmarks``: the main comparison, see :mod:`benchmarks.compare`."""

from .compare import main

main()

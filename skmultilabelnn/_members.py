"""Training an ensemble's members one after the other, or several at a time.

A small network leaves cores idle: its compiled steps are too short for
the backend to spread one over all of them (measured on 2 cores, JAX: the
default fit on yeast used 1.5 cores). Members are independent (each has
its own seed, rows and early stopping), so they can train at the same
time, one thread each, with the same results as one after the other.

They do so only where that is safe: without callbacks, Keras metrics or
progress output (objects the members would share, and lines they would
interleave), and only as many as scikit-learn's ``working_memory`` allows:
each member holds its own copy of the data and its variables, and those
of the members training beside the first stay within it (the same
setting that bounds scikit-learn's own temporary arrays). Networks are
built in the calling thread (where their seeds are drawn and Keras names
their layers), each while the members before it train. On TensorFlow each
thread trains its own replica of the architecture's template (see
``_engine.use_template_replica``).
"""

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn

from ._engine import use_template_replica

#: Bytes a member holds per parameter of its network while training: the
#: weights, Adam's two moments and the gradients.
BYTES_PER_PARAMETER = 4 * 4


def member_workers(n_members, X, network, *, alone):
    """How many members train at a time.

    Parameters
    ----------
    n_members : int
    X : ndarray or sparse matrix
        The fit's inputs.
    network : keras.Model
        One member (all have its architecture).
    alone : bool
        Whether the members train without callbacks, Keras metrics or
        progress output.

    Returns
    -------
    workers : int
        1 (one after the other), or at most one per usable core (see
        ``usable_cores``), and only as many as keep the bytes of the members
        beside the first (``member_bytes`` each) within scikit-learn's
        ``working_memory``.
    """
    if n_members < 2 or not alone:
        return 1
    working_memory = sklearn.get_config()["working_memory"] * 2**20
    beside = int(working_memory // max(member_bytes(X, network), 1))
    return max(1, min(n_members, usable_cores(), 1 + beside))


def usable_cores():
    """The cores this process may use: joblib's count of the machine's (which
    heeds CPU affinity and container quotas), lowered by ``OMP_NUM_THREADS``
    where it is set, as joblib's worker processes set it to their share (so
    that a search with ``n_jobs`` does not train members on top of it)."""
    cores = joblib.cpu_count()
    limit = os.environ.get("OMP_NUM_THREADS", "")
    if limit.isdigit() and int(limit) > 0:
        cores = min(cores, int(limit))
    return cores


def member_bytes(X, network):
    """About the bytes one member holds while it trains: its copy of X (a
    sparse X's arrays) and ``BYTES_PER_PARAMETER`` per parameter."""
    if sp.issparse(X):
        data = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    else:
        data = np.asarray(X).nbytes
    return data + BYTES_PER_PARAMETER * network.count_params()


def map_members(train_member, networks, workers):
    """``[(network, train_member(m, network)) for m, network in
    enumerate(networks)]``, ``workers`` members at a time.

    ``networks`` is iterated here, in the calling thread, while the
    members before train: a generator building them overlaps their building
    with training. scikit-learn's configuration (thread-local) is carried
    into the threads; the first error a member raises is raised here, after
    the members already submitted have finished.
    """
    if workers <= 1:
        return [
            (network, train_member(m, network)) for m, network in enumerate(networks)
        ]
    config = sklearn.get_config()

    def in_context(m, network):
        with sklearn.config_context(**config):
            return train_member(m, network)

    replicas = itertools.count()  # each thread trains its own (TensorFlow)
    with ThreadPoolExecutor(
        workers,
        thread_name_prefix="skmultilabelnn",
        initializer=lambda: use_template_replica(next(replicas)),
    ) as pool:
        submitted = [
            (network, pool.submit(in_context, m, network))
            for m, network in enumerate(networks)
        ]
        return [(network, future.result()) for network, future in submitted]

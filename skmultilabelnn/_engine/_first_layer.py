"""A network's first ``Dense`` layer split from the layers after it, for sparse X.

For a sparse X the engine computes the first layer's ``X @ W + b`` from X's
non-zeros alone (a gather of W's rows, summed per sample) and runs the rest
of the network on the result, so that no batch is densified. That needs a
network whose input goes straight into a plain ``Dense`` layer, then through
a chain of layers (the package's MLP, any such ``Sequential`` or functional
model), or an average of such chains (a fitted seed ensemble).
"""

from dataclasses import dataclass

import keras
from keras import ops

from .._compat._keras import producing_call


@dataclass(frozen=True)
class Branch:
    """A chain of layers: its first ``Dense`` layer and a model of the rest.

    Attributes
    ----------
    dense : keras.layers.Dense
    tail : keras.Model or None
        The layers after ``dense``, as one model sharing their variables;
        None when ``dense`` is the output layer.
    """

    dense: keras.layers.Dense
    tail: keras.Model

    def first_output(self, product, bias):
        """The first layer's output from its product ``X @ W`` and ``bias``
        (the bias' value, None if the layer has none)."""
        hidden = product if bias is None else product + bias
        if self.dense.activation is not None:
            hidden = self.dense.activation(hidden)
        return hidden


def gathered_product(kernel, x, n_rows):
    """``X @ kernel`` of a chunk of sparse rows: one kernel row gathered per
    non-zero, scaled by its value, summed per row (``keras.ops``, every
    backend).

    Parameters
    ----------
    kernel : array of shape (n_features, units)
    x : tuple of arrays
        ``(columns, values, segments, row_starts)`` of the chunk's non-zeros
        (see ``_sparse_rows.sparse_groups``; padding has the column past the
        last and value 0; ``row_starts`` is unused here).
    n_rows : int
        Rows of the chunk.
    """
    columns, values, segments = x[:3]
    # padding reads row 0 with value 0: it adds nothing
    present = ops.where(columns < ops.shape(kernel)[0], columns, 0)
    rows = ops.take(kernel, present, axis=0) * values[:, None]
    return ops.segment_sum(rows, segments, num_segments=n_rows)


def sparse_outputs(
    branches, trainable, non_trainable, x, n_rows, product=gathered_product
):
    """The mean of the branches' outputs on a chunk of sparse rows, inference mode.

    Written with ``keras.ops`` and stateless calls, so that it traces on
    every backend; ``product`` computes the first layer's ``X @ kernel``.

    Parameters
    ----------
    branches : tuple of Branch
    trainable : list of tuple
        Each branch's ``(kernel, bias or None, tail's trainable values)``.
    non_trainable : list of list
        Each branch's tail's non-trainable values.
    x : tuple of arrays
        ``(columns, values, segments, row_starts)`` of the chunk's non-zeros
        in row order (see ``_sparse_rows.sparse_groups``; padding has the
        column past the last and value 0), and where each row's start among
        them, as a CSR matrix's ``indptr`` (the padding counted in the last
        row).
    n_rows : int
        Rows of the chunk.
    product : callable, default=gathered_product
        ``product(kernel, x, n_rows)``, the first layer's ``X @ kernel``.
    """
    outputs = None
    for branch, (kernel, bias, tail), tail_state in zip(
        branches, trainable, non_trainable, strict=True
    ):
        output = branch.first_output(product(kernel, x, n_rows), bias)
        if branch.tail is not None:
            output = branch.tail.stateless_call(
                tail, tail_state, output, training=False
            )[0]
        outputs = output if outputs is None else outputs + output
    return outputs / len(branches) if len(branches) > 1 else outputs


def sparse_branches(model):
    """The branches of ``model`` whose outputs it averages, or None.

    A chain starting with a plain ``Dense`` layer is one branch; a model
    averaging the outputs of nested such chains (``keras.layers.Average``)
    is one branch per chain. Any other network gives None: the caller
    densifies X for it. The tails are built on ``model``'s own layers (new
    nodes on them), so ``model`` should be the engine's private template.
    """
    inputs, outputs = model.inputs, model.outputs
    if len(inputs) != 1 or len(outputs) != 1 or len(inputs[0].shape) != 2:
        return None
    branch = _chain_branch(model)
    if branch is not None:
        return (branch,)
    return _averaged_branches(model)


def dense_positions(part, model):
    """Positions in ``model.trainable_variables`` of the kernel and bias of
    ``part.dense`` (a :class:`Branch`'s first layer, or an output layer).

    The bias' position is None when the layer has none.
    """
    positions = {id(v): i for i, v in enumerate(model.trainable_variables)}
    dense = part.dense
    kernel = positions[id(dense.kernel)]
    bias = positions[id(dense.bias)] if dense.use_bias else None
    return kernel, bias


def submodel_positions(submodel, model):
    """Positions in ``model``'s trainable and non-trainable variables of
    those of ``submodel`` (a model on some of ``model``'s layers, or None),
    in ``submodel``'s order: ``(trainable, non_trainable)`` lists."""
    if submodel is None:
        return [], []
    trainable = {id(v): i for i, v in enumerate(model.trainable_variables)}
    non_trainable = {id(v): i for i, v in enumerate(model.non_trainable_variables)}
    return (
        [trainable[id(v)] for v in submodel.trainable_variables],
        [non_trainable[id(v)] for v in submodel.non_trainable_variables],
    )


def _chain_branch(model):
    layers = chain_layers(model)
    if not layers or not is_plain_dense(layers[0]):
        return None
    rest = layers[1:]
    if not rest:
        return Branch(layers[0], None)
    hidden = keras.Input(shape=(layers[0].units,))
    outputs = hidden
    for layer in rest:
        outputs = layer(outputs)
    return Branch(layers[0], keras.Model(hidden, outputs))


def _averaged_branches(model):
    call = producing_call(model.outputs[0])
    if call is None or type(call[0]) is not keras.layers.Average:
        return None
    branches = []
    for tensor in call[1]:
        member, member_inputs = producing_call(tensor)
        if not isinstance(member, keras.Model) or len(member_inputs) != 1:
            return None
        if member_inputs[0] is not model.inputs[0]:
            return None
        branch = _chain_branch(member)
        if branch is None:
            return None
        branches.append(branch)
    return tuple(branches)


def chain_layers(model):
    """The layers from ``model``'s input to its output, if each takes the
    previous one's output only; else None."""
    layers = []
    tensor = model.outputs[0]
    while tensor is not model.inputs[0]:
        call = producing_call(tensor)
        if call is None or isinstance(call[0], keras.layers.InputLayer):
            return None
        operation, inputs = call
        layers.append(operation)
        if len(inputs) != 1:
            return None
        tensor = inputs[0]
    layers.reverse()
    return layers


def is_plain_dense(layer):
    """A ``Dense`` layer whose call is ``activation(x @ kernel + bias)``."""
    return (
        type(layer) is keras.layers.Dense
        and not layer.lora_enabled
        and not layer.quantization_mode
        and layer.kernel_regularizer is None
        and layer.bias_regularizer is None
        and layer.activity_regularizer is None
        and layer.kernel_constraint is None
        and layer.bias_constraint is None
        and layer.compute_dtype == layer.variable_dtype
    )

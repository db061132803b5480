"""Lazy (row-sparse) Adam updates of a first layer's kernel on sparse X, and
of an output layer's sampled columns (see ``_sampled_labels``).

A batch of sparse rows touches a few of the first layer's kernel rows (one
per feature present in the batch); the gradient of every other row is zero.
Dense Adam still moves those rows (their moments decay and keep pushing the
weights) at the cost of the whole kernel at every step. A lazy update, as
TensorFlow Addons' ``LazyAdam`` and PyTorch's ``SparseAdam`` do, updates the
touched rows and their moments only, with the optimizer's step count for
the bias correction; rows of features absent from a batch stay as they are,
weight decay included (AdamW decays a row when a batch touches it). The
other variables (the bias, the later layers) get the optimizer's own update
from a twin optimizer built on them alone, whose variables are the
optimizer's own but for the kernel's moments.
"""

import keras
from keras import ops

from .._compat._keras import adam_moments, decays_weight, learning_rate_variable


def lazy_updates_apply(optimizer):
    """Whether ``optimizer`` can update the kernel lazily (else: densely).

    Plain Adam and AdamW with a fixed learning rate, no gradient clipping,
    AMSGrad, moving average, gradient accumulation or loss scaling: their
    update of a row depends on that row's gradient and moments alone.
    """
    return (
        type(optimizer) in (keras.optimizers.Adam, keras.optimizers.AdamW)
        and not optimizer.amsgrad
        and optimizer.clipnorm is None
        and optimizer.clipvalue is None
        and optimizer.global_clipnorm is None
        and not optimizer.use_ema
        and not optimizer.gradient_accumulation_steps
        and optimizer.loss_scale_factor is None
        and learning_rate_variable(optimizer) is not None
    )


class LazyKernelUpdates:
    """Where the kernel and its Adam state sit in the engine's state, and the
    twin optimizer that updates every other variable.

    Parameters
    ----------
    optimizer : keras.optimizers.Adam or AdamW
        The template optimizer, built on ``model.trainable_variables``.
    rest_optimizer : keras.optimizers.Adam or AdamW
        A new, unbuilt optimizer of the same configuration: the twin.
    model : keras.Model
        The template model.
    kernel_at : int
        Position of the first layer's kernel in ``model.trainable_variables``.
    """

    def __init__(self, optimizer, rest_optimizer, model, kernel_at):
        trainable = model.trainable_variables
        kernel = trainable[kernel_at]
        self.kernel_at = kernel_at
        self.rest_at = [i for i in range(len(trainable)) if i != kernel_at]
        self.rest_optimizer = rest_optimizer
        self.rest_optimizer.build([trainable[i] for i in self.rest_at])
        # the twin's variables are named as the optimizer's own for the same
        # model variables (both are built from one configuration)
        position = {v.path: i for i, v in enumerate(optimizer.variables)}
        self.rest_optimizer_at = [
            position[v.path] for v in self.rest_optimizer.variables
        ]
        momentum, velocity = adam_moments(optimizer, kernel)
        self.momentum_at = position[momentum.path]
        self.velocity_at = position[velocity.path]
        self.iterations_at = position[optimizer.iterations.path]
        self.learning_rate_at = position[learning_rate_variable(optimizer).path]
        self.beta_1 = optimizer.beta_1
        self.beta_2 = optimizer.beta_2
        self.epsilon = optimizer.epsilon
        decays = decays_weight(optimizer, kernel)
        self.weight_decay = optimizer.weight_decay if decays else None

    def rows(self, weights, momentum, velocity, gradient, learning_rate, iterations):
        """New ``(weights, momentum, velocity)`` of the touched rows.

        Keras' Adam update (and AdamW's decay before it) on those rows, with
        ``iterations`` the optimizer's step count before this step.
        """
        dtype = weights.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        if self.weight_decay is not None:
            weights = weights - weights * ops.cast(self.weight_decay, dtype) * lr
        step = ops.cast(iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), step)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        momentum = momentum + ops.multiply(
            ops.subtract(gradient, momentum), 1 - self.beta_1
        )
        velocity = velocity + ops.multiply(
            ops.subtract(ops.square(gradient), velocity), 1 - self.beta_2
        )
        weights = weights - ops.divide(
            ops.multiply(momentum, alpha), ops.add(ops.sqrt(velocity), self.epsilon)
        )
        return weights, momentum, velocity

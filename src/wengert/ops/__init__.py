"""Differentiable operations: each primitive with its derivative rule, then composites.

Importing this package registers every primitive and attaches the ``Tensor``
methods and operators.
"""

from . import complex, elementwise, index, inplace, linalg, reduce, shape  # noqa: F401

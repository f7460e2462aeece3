"""Differentiable operations: each primitive with its derivative rule, then composites.

Importing this package registers every primitive and attaches the ``Tensor``
methods and operators.
"""

from . import (  # noqa: F401 - one module a line
    arrange,
    binary,
    complex,
    contract,
    diagonal,
    elementwise,
    gather,
    index,
    inplace,
    join,
    linalg,
    reduce,
    scan,
    shape,
    sort,
    special,
    unary,
)

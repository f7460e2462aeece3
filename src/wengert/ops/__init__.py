"""Differentiable operations: each primitive with its derivative rule, then composites.

Importing this package registers every primitive and attaches the ``Tensor``
methods and operators.
"""

from . import binary  # noqa: F401, I001 - one line per new module, for easy merges
from . import elementwise, index, inplace, linalg, reduce, shape  # noqa: F401
from . import unary  # noqa: F401

"""``wengert.numpy.random``: NumPy's ``numpy.random``, passed through (plain arrays out).

>>> import wengert.numpy as wnp
>>> wnp.random.seed(0); wnp.random.rand(2).shape
(2,)
"""

import numpy as _np


def __getattr__(name):
    return getattr(_np.random, name)


def __dir__():
    return dir(_np.random)

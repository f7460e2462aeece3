"""``wg.optim``: PyTorch's optimizers and learning-rate schedulers, same names, same updates.

>>> import wengert as wg
>>> w = wg.tensor([3.0], requires_grad=True)
>>> opt = wg.optim.Adam([w], lr=0.1)
>>> for _ in range(200):
...     opt.zero_grad()
...     ((w - 1) ** 2).sum().backward()
...     opt.step()
>>> round(w.item(), 2)
1.0
"""

from . import lr_scheduler
from .algorithms import SGD, Adagrad, Adam, AdamW, RMSprop
from .lbfgs import LBFGS
from .optimizer import Optimizer

__all__ = ["LBFGS", "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]

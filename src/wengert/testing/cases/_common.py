"""Test cases for the operator sweeps, shared by ``test_primitives.py`` and ``test_functions.py``.

Two kinds of case:

* ``add_case(primitive_name, label, *args, params=...)``: a primitive applied
  with ``bind``, checked against finite differences of its NumPy
  implementation in both modes, to second order (``test_primitives.py``);
* ``add_fn_case(qualified_name, label, fn, *args, kwargs=...)``: a public
  function (composites included) checked with ``gradcheck`` and
  ``gradgradcheck`` in both modes (``test_functions.py``).

Each area of the library has its own module in this package; the modules
are found automatically and each draws from its own seeded generator, so
adding cases to one area never changes the values of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# -- cases -------------------------------------------------------------------


class Raw:
    """An argument passed to ``bind`` as a raw constant (not a tensor, not differentiated)."""

    def __init__(self, value):
        self.value = value


@dataclass
class Case:
    prim: str
    label: str
    args: tuple  # float ndarrays become (differentiable) tensors; Raw(...) and bool arrays stay raw
    params: tuple = ()
    tol: float = 1e-6  # rtol and atol of every comparison
    h1: float = 1e-6  # FD step of first-order checks
    h2: float = 1e-5  # FD step of second-order checks

    @property
    def id(self) -> str:
        return f"{self.prim}-{self.label}"

    @property
    def diff(self) -> list[int]:
        """Indices of the differentiable inputs."""
        return [i for i, a in enumerate(self.args) if _is_diff(a)]

    @property
    def arrays(self) -> list:
        return [a.value if isinstance(a, Raw) else a for a in self.args]


def _is_diff(a) -> bool:
    return isinstance(a, np.ndarray) and a.dtype.kind in "fc"  # floating or complex




SPECS: dict[str, list[Case]] = {}

# Primitives whose outputs carry no derivative (comparisons, arg-reductions, ...).
NONDIFFERENTIABLE: set[str] = set()

# Library bugs: (check, primitive name or case id) -> reason. Tests marked with
# these are strict xfails, so a fix makes the suite fail until the mark is removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


_rng = np.random.default_rng(20240611)


def reseed(name: str) -> None:
    """Give the next module of cases its own generator, seeded by its name."""
    global _rng
    import zlib

    _rng = np.random.default_rng(zlib.crc32(name.encode()))
F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
C64 = np.dtype(np.complex64)
C128 = np.dtype(np.complex128)


def fmt(shape) -> str:
    return "(" + ",".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def real(shape, lo=-1.0, hi=1.0) -> np.ndarray:
    return np.asarray(_rng.uniform(lo, hi, shape), dtype=F64)


def positive(shape) -> np.ndarray:
    return real(shape, 0.5, 2.0)


def away0(shape) -> np.ndarray:
    """Values with ``|x| >= 0.2`` (no kink or pole nearby)."""
    sign = np.where(_rng.random(shape) < 0.5, -1.0, 1.0)
    return np.asarray(sign * _rng.uniform(0.2, 1.5, shape), dtype=F64)


def avoiding(shape, points, lo=-1.0, hi=1.0, gap=0.05) -> np.ndarray:
    """Uniform values at least ``gap`` away from each of ``points`` (kinks)."""
    n = int(np.prod(shape))
    x = _rng.uniform(lo, hi, n)
    while True:
        bad = np.zeros(n, dtype=bool)
        for p in points:
            bad |= np.abs(x - p) < gap
        if not bad.any():
            return np.asarray(x.reshape(shape), dtype=F64)
        x[bad] = _rng.uniform(lo, hi, int(bad.sum()))


def distinct(*shapes, gap=0.1) -> list[np.ndarray]:
    """Arrays whose elements are pairwise at least ``gap`` apart (no ties, even broadcast)."""
    sizes = [int(np.prod(s)) for s in shapes]
    total = sum(sizes)
    grid = (np.arange(total) - total / 2) * (gap * 1.5)
    vals = _rng.permutation(grid) + _rng.uniform(-gap / 4, gap / 4, total)
    out, start = [], 0
    for s, n in zip(shapes, sizes):
        out.append(np.asarray(vals[start:start + n].reshape(s), dtype=F64))
        start += n
    return out


def mask(shape, p=0.5) -> np.ndarray:
    """Random booleans, ``True`` with probability ``p``."""
    return np.asarray(_rng.random(shape) < p)


def integers(shape, lo, hi) -> np.ndarray:
    """Random int64 values in ``[lo, hi)`` (indices, class labels)."""
    return np.asarray(_rng.integers(lo, hi, shape), dtype=np.int64)


def cplx(shape, lo=-1.0, hi=1.0) -> np.ndarray:
    """complex128 values with real and imaginary parts uniform in ``[lo, hi)``."""
    return np.asarray(real(shape, lo, hi) + 1j * real(shape, lo, hi))


def dyadic(shape, dtype=F64, lo=-2.0, hi=2.0) -> np.ndarray:
    """Multiples of 2**-8: exact in float32, and stay exact when moved by dyadic steps."""
    return np.asarray(np.round(_rng.uniform(lo, hi, shape) * 256) / 256, dtype=dtype)


F32_STEPS = {"tol": 3e-4, "h1": 2.0**-7, "h2": 2.0**-9}


def add_case(prim, label, *args, params=(), **kw):
    SPECS.setdefault(prim, []).append(Case(prim, label, tuple(args), tuple(params), **kw))


@dataclass
class FnCase:
    """A public function on concrete inputs, for ``gradcheck``/``gradgradcheck``.

    Float64 arrays among ``args`` become tensors that require grad; other
    arrays become constant tensors; ``Raw(v)`` passes ``v`` unchanged.
    """

    name: str  # qualified public name: "var", "linalg.inv", "nn.functional.softmax"
    label: str
    fn: object
    args: tuple
    kwargs: dict = field(default_factory=dict)
    atol: float = 1e-5
    rtol: float = 1e-3
    eps: float = 1e-6
    second_order: bool = True  # False only where the second derivative is not defined

    @property
    def id(self) -> str:
        return f"{self.name}-{self.label}"


FN_CASES: list[FnCase] = []


def add_fn_case(name, label, fn, *args, kwargs=None, **kw):
    FN_CASES.append(FnCase(name, label, fn, tuple(args), dict(kwargs or {}), **kw))


# Public functions whose outputs carry no derivative, by qualified name
# ("argmax", "linalg.matrix_rank"); the coverage test needs each public
# function to be either here or in FN_CASES (or a primitive with SPECS).
NONDIFFERENTIABLE_FUNCTIONS: set[str] = set()

"""Every module of cases in this package, imported once, each with its own seed."""

import importlib
import pkgutil

from . import _common
from ._common import (  # noqa: F401 - the sweeps import these from here
    C64,
    C128,
    F32,
    F32_STEPS,
    F64,
    FN_CASES,
    KNOWN_BUGS,
    NONDIFFERENTIABLE,
    NONDIFFERENTIABLE_FUNCTIONS,
    SPECS,
    Case,
    FnCase,
    Raw,
    distinct,
    real,
)

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")):
    _common.reseed(_module)
    importlib.import_module(f"{__name__}.{_module}")

ALL_CASES = [c for cases in SPECS.values() for c in cases]

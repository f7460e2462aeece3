"""Cases with complex data: the complex primitives, and the existing ones on complex inputs.

Complex128 arrays are differentiable inputs: the sweeps move their real and
imaginary parts together along complex directions and compare with the real
inner product ``Re(sum(conj(a) * b))`` (see ``tests/test_primitives.py``).
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    C64,
    F32,
    F32_STEPS,
    F64,
    Raw,
    add_case,
    add_fn_case,
    cplx,
    fmt,
    mask,
    real,
)


def right_half(shape, lo=0.3, hi=1.5) -> np.ndarray:
    """Complex values with real part in ``[lo, hi)``: away from 0 and from the branch cut
    of ``log``, ``sqrt``, ``angle`` and ``pow`` (the negative real axis)."""
    return np.asarray(real(shape, lo, hi) + 1j * real(shape, -1.0, 1.0))


def away0(shape) -> np.ndarray:
    """Complex values with modulus in ``[0.3, 1.5)`` (no kink of ``abs`` nearby)."""
    return np.asarray(real(shape, 0.3, 1.5) * np.exp(1j * real(shape, -3.0, 3.0)))


def dyadic_complex(shape, dtype=C64) -> np.ndarray:
    """Multiples of 2**-8 in both parts: exact in complex64."""
    re, im = (np.round(real(shape, -2.0, 2.0) * 256) / 256 for _ in range(2))
    return np.asarray(re + 1j * im, dtype=dtype)


# -- the complex primitives ----------------------------------------------------------

for shape in [(), (3,), (2, 3)]:
    lab = fmt(shape)
    add_case("real", lab, cplx(shape))
    add_case("imag", lab, cplx(shape))
    add_case("conj", lab, cplx(shape))
    add_case("angle", lab, right_half(shape))
    add_case("view_as_real", lab, cplx(shape))
    add_case("view_as_complex", lab, real(shape + (2,)))
add_case("angle", "all-quadrants", away0((4,)) * np.array([1, 1j, -1j, 1]))
add_case("angle", "real", np.array([0.5, 2.0]))  # a step function of reals: slope 0

for a, b in [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((), ())]:
    add_case("complex", f"{fmt(a)}x{fmt(b)}", real(a), real(b))
add_case("complex", "raw-re", Raw(0.0), real((2, 3)))
add_case("complex", "raw-im", real((3,)), Raw(real((2, 3))))
add_case("complex", "f32", np.asarray(real((3,)), F32), np.asarray(real((3,)), F32),
         **F32_STEPS)

# -- arithmetic and functions on complex inputs --------------------------------------

for a, b in [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((), ())]:
    lab = f"c{fmt(a)}xc{fmt(b)}"
    add_case("add", lab, cplx(a), cplx(b))
    add_case("sub", lab, cplx(a), cplx(b))
    add_case("mul", lab, cplx(a), cplx(b))
    add_case("div", lab, cplx(a), away0(b))
    add_case("pow", lab, right_half(a), cplx(b))
# Real meeting complex (what promotion and Python constants produce at bind).
add_case("mul", "r(2,3)xrawc(3,)", real((2, 3)), Raw(cplx((3,))))
add_case("mul", "rawr(2,3)xc(3,)", Raw(real((2, 3))), cplx((3,)))
add_case("mul", "c(2,3)xraw1j", cplx((2, 3)), Raw(1j))
add_case("add", "r(2,3)xraw(1+2j)", real((2, 3)), Raw(1 + 2j))
add_case("div", "rawc(3,)xc(2,3)", Raw(cplx((3,))), away0((2, 3)))
add_case("div", "r(3,)xrawc(3,)", real((3,)), Raw(away0((3,))))
add_case("pow", "c(2,3)**raw2", cplx((2, 3)), Raw(2))
add_case("pow", "c(2,3)**raw2.5", right_half((2, 3)), Raw(2.5))
add_case("pow", "c(2,3)**rawc", right_half((2, 3)), Raw(0.5 - 0.5j))
add_case("pow", "raw(1+1j)**c(2,3)", Raw(1 + 1j), cplx((2, 3)))
add_case("pow", "rawc(3,)**c(2,3)", Raw(right_half((3,))), cplx((2, 3)))

_DOMAIN = {"neg": cplx, "exp": cplx, "log": right_half, "sin": cplx, "cos": cplx,
           "tan": cplx, "tanh": cplx, "sqrt": right_half, "abs": away0, "sigmoid": cplx}
for name, dom in _DOMAIN.items():
    for shape in [(), (2, 3)]:
        add_case(name, f"c{fmt(shape)}", dom(shape))

for cs, as_, bs in [((2, 3), (2, 3), (2, 3)), ((2, 3), (3,), ()), ((3,), (2, 1), (2, 3))]:
    add_case("where", f"c{fmt(cs)}-c{fmt(as_)}xc{fmt(bs)}", mask(cs), cplx(as_), cplx(bs))

add_case("astype", "c128->f64", cplx((2, 3)), params=(F64,))
add_case("astype", "f64->c128", real((2, 3)), params=(np.dtype(np.complex128),))
add_case("astype", "c64->c128", dyadic_complex((2, 3)), params=(np.dtype(np.complex128),),
         **F32_STEPS)
add_case("astype", "c128->c64", dyadic_complex((3,), np.complex128), params=(C64,), **F32_STEPS)
add_case("astype", "c64->f32", dyadic_complex((3,)), params=(F32,), **F32_STEPS)

# -- reductions, shapes, indexing, products ------------------------------------------

for axis, keep in [(None, False), (0, True), (-1, False), ((0, 1), False)]:
    add_case("sum", f"c(2,3)-axis={axis}-{keep}".replace(" ", ""), cplx((2, 3)),
             params=(axis, keep))
add_case("reshape", "c(2,3)->(3,2)", cplx((2, 3)), params=((3, 2),))
add_case("permute", "c(2,3,4)-(2,0,1)", cplx((2, 3, 4)), params=((2, 0, 1),))
add_case("broadcast_to", "c(2,1)->(2,3)", cplx((2, 1)), params=((2, 3),))
add_case("sum_to", "c(2,3)->(1,3)", cplx((2, 3)), params=((1, 3),))
add_case("alias", "c(3,)", cplx((3,)))
add_case("cat", "c(2,3)+c(1,3)", cplx((2, 3)), cplx((1, 3)), params=(0,))
add_case("getitem", "c(3,4)[arr-repeat]", cplx((3, 4)), params=(np.array([0, 2, 0]),))
add_case("getitem", "c(3,4)[:,1]", cplx((3, 4)), params=((slice(None), 1),))
add_case("index_scatter", "c(3,4)[arr-repeat]", cplx((3, 4)), params=(np.array([0, 2, 0]), (3, 4)))
add_case("index_put", "c(3,4)[1]<-c(4,)", cplx((3, 4)), cplx((4,)), params=(1, (4,)))
for a, b in [((3,), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4))]:
    add_case("matmul", f"c{fmt(a)}@c{fmt(b)}", cplx(a), cplx(b))

# -- public composites -----------------------------------------------------------------

add_fn_case("polar", "(2,3)", wg.polar, real((2, 3), 0.2, 2.0), real((2, 3), -3.0, 3.0))
add_fn_case("sgn", "c(2,3)", wg.sgn, away0((2, 3)))
add_fn_case("sgn", "real", wg.sgn, np.array([-0.5, 0.7]))
add_fn_case("mean", "c(2,3)-dim=1", wg.mean, cplx((2, 3)), kwargs={"dim": 1})
add_fn_case("norm", "c(2,3)-p=2", wg.norm, cplx((2, 3)))
add_fn_case("norm", "c(2,3)-p=1-dim=0", wg.norm, away0((2, 3)), kwargs={"p": 1, "dim": 0})
add_fn_case("norm", "c(2,3)-p=3", wg.norm, away0((2, 3)), kwargs={"p": 3})
add_fn_case("abs", "c-composite", lambda z: wg.abs(z * z) + (z * wg.conj(z)).real, cplx((3,)))
add_fn_case("real", "mixed-promotion", lambda x, z: (x * z + x).real * wg.imag(z - 2.0),
            real((2, 3)), cplx((3,)))

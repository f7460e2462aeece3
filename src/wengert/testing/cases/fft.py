"""Cases for ``wg.fft``: the three transform primitives and every public function.

The real-to-complex and complex-to-real cases use both even and odd lengths
(an even length has a Nyquist bin, which counts once, like DC), all three
normalizations, and more than one transformed dimension.
"""

from __future__ import annotations

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    Raw,
    add_case,
    add_fn_case,
    cplx,
    dyadic,
    fmt,
    real,
)

NORMS = ("backward", "ortho", "forward")

# -- primitives: (shape, axes) with every norm -------------------------------------------

for shape, axes in [((5,), (0,)), ((4,), (0,)), ((2, 3), (1,)), ((2, 3), (0, 1)),
                    ((3, 2, 4), (2, 0)), ((1,), (0,))]:
    for norm in NORMS:
        lab = f"{fmt(shape)}-axes={axes}-{norm}".replace(" ", "")
        add_case("fft_c2c", lab + "-fwd", cplx(shape), params=(axes, norm, True))
        add_case("fft_c2c", lab + "-inv", cplx(shape), params=(axes, norm, False))
        add_case("fft_r2c", lab, real(shape), params=(axes, norm))
        # c2r: the input holds n // 2 + 1 bins along the last axis, n even or odd.
        for n in {2 * (shape[axes[-1]] - 1) or 1, shape[axes[-1]] * 2 - 1}:
            half = list(shape)
            half[axes[-1]] = n // 2 + 1
            add_case("fft_c2r", f"{lab}-n={n}", cplx(tuple(half)), params=(axes, norm, n))
add_case("fft_r2c", "f32-(6,)", dyadic((6,), F32), params=((0,), "backward"), **F32_STEPS)

# -- public functions -------------------------------------------------------------------------

F = wg.fft
for norm in (None, "ortho", "forward"):
    n_lab = f"norm={norm}"
    add_fn_case("fft.fft", f"c(3,5)-{n_lab}", F.fft, cplx((3, 5)), kwargs={"norm": norm})
    add_fn_case("fft.ifft", f"c(3,5)-dim=0-{n_lab}", F.ifft, cplx((3, 5)),
                kwargs={"dim": 0, "norm": norm})
    add_fn_case("fft.rfft", f"(3,6)-{n_lab}", F.rfft, real((3, 6)), kwargs={"norm": norm})
    add_fn_case("fft.irfft", f"c(3,4)-{n_lab}", F.irfft, cplx((3, 4)), kwargs={"norm": norm})
    add_fn_case("fft.hfft", f"c(4,)-{n_lab}", F.hfft, cplx((4,)), kwargs={"norm": norm})
    add_fn_case("fft.ihfft", f"(5,)-{n_lab}", F.ihfft, real((5,)), kwargs={"norm": norm})
    add_fn_case("fft.fftn", f"c(2,3,4)-{n_lab}", F.fftn, cplx((2, 3, 4)), kwargs={"norm": norm})
    add_fn_case("fft.rfftn", f"(2,3,4)-{n_lab}", F.rfftn, real((2, 3, 4)), kwargs={"norm": norm})
    add_fn_case("fft.irfftn", f"c(2,3,3)-{n_lab}", F.irfftn, cplx((2, 3, 3)),
                kwargs={"norm": norm})

# sizes: cropping and zero-padding, odd and even output lengths
add_fn_case("fft.fft", "real-input-n=7", F.fft, real((5,)), kwargs={"n": 7})
add_fn_case("fft.fft", "c(5,)-n=3", F.fft, cplx((5,)), kwargs={"n": 3})
add_fn_case("fft.ifft", "c(2,3)-n=5", F.ifft, cplx((2, 3)), kwargs={"n": 5})
add_fn_case("fft.rfft", "(5,)-n=8", F.rfft, real((5,)), kwargs={"n": 8})
add_fn_case("fft.rfft", "(7,)-n=4-dim=0", F.rfft, real((7,)), kwargs={"n": 4, "dim": 0})
add_fn_case("fft.rfft", "(2,5)-odd", F.rfft, real((2, 5)))
add_fn_case("fft.irfft", "c(4,)-n=7", F.irfft, cplx((4,)), kwargs={"n": 7})
add_fn_case("fft.irfft", "c(4,)-n=4", F.irfft, cplx((4,)), kwargs={"n": 4})
add_fn_case("fft.irfft", "c(3,2)-n=5-dim=0", F.irfft, cplx((3, 2)), kwargs={"n": 5, "dim": 0})
add_fn_case("fft.hfft", "c(3,)-n=5", F.hfft, cplx((3,)), kwargs={"n": 5})
add_fn_case("fft.ihfft", "(6,)-n=4", F.ihfft, real((6,)), kwargs={"n": 4})
add_fn_case("fft.fft2", "c(2,3,4)", F.fft2, cplx((2, 3, 4)))
add_fn_case("fft.fft2", "c(3,4)-s=(2,6)-ortho", F.fft2, cplx((3, 4)),
            kwargs={"s": (2, 6), "norm": "ortho"})
add_fn_case("fft.ifft2", "c(3,4)-dim=(0,1)", F.ifft2, cplx((3, 4)), kwargs={"dim": (0, 1)})
add_fn_case("fft.rfft2", "(3,4)", F.rfft2, real((3, 4)))
add_fn_case("fft.rfft2", "(3,5)-s=(4,3)", F.rfft2, real((3, 5)), kwargs={"s": (4, 3)})
add_fn_case("fft.irfft2", "c(3,3)", F.irfft2, cplx((3, 3)))
add_fn_case("fft.irfft2", "c(3,3)-s=(2,5)", F.irfft2, cplx((3, 3)), kwargs={"s": (2, 5)})
add_fn_case("fft.fftn", "c(2,3,4)-s=(4,2)", F.fftn, cplx((2, 3, 4)), kwargs={"s": (4, 2)})
add_fn_case("fft.fftn", "c(2,3,4)-dim=(2,0)", F.fftn, cplx((2, 3, 4)), kwargs={"dim": (2, 0)})
add_fn_case("fft.ifftn", "c(2,3,4)-s=(-1,5)", F.ifftn, cplx((2, 3, 4)),
            kwargs={"s": (-1, 5), "dim": (0, 2)})
add_fn_case("fft.rfftn", "(2,3,4)-dim=(0,1)", F.rfftn, real((2, 3, 4)), kwargs={"dim": (0, 1)})
add_fn_case("fft.irfftn", "c(2,3,3)-s=(3,4)", F.irfftn, cplx((2, 3, 3)), kwargs={"s": (3, 4)})
add_fn_case("fft.fftshift", "(4,5)", F.fftshift, real((4, 5)))
add_fn_case("fft.fftshift", "c(4,5)-dim=1", F.fftshift, cplx((4, 5)), kwargs={"dim": 1})
add_fn_case("fft.ifftshift", "(5,)", F.ifftshift, real((5,)))
add_fn_case("fft.ifftshift", "(3,4)-dim=(0,)", F.ifftshift, real((3, 4)), kwargs={"dim": (0,)})
# a spectral loss: real in, real out, through complex intermediates
add_fn_case("fft.rfft", "power-spectrum", lambda x: F.rfft(x).abs() ** 2, real((6,)))
add_fn_case("fft.irfft", "filter", lambda x, h: F.irfft(F.rfft(x) * h, n=6), real((6,)),
            cplx((4,)))
add_fn_case("fft.fft", "dim-raw", F.fft, cplx((2, 3)), Raw(None), Raw(0))

"""Complex cases shared by the sweeps (``wengert.testing.cases.complex_*``) and the PyTorch reference
tests (``tests/test_reference_complex2.py``).

Each case is ``(qualified name, label, area, make, call)``: ``make(gen)`` builds the
complex128 inputs from a generator with ``uniform(lo, hi, shape)``; ``call(L, *xs)``
applies the function with ``L`` either ``wengert`` or ``torch`` (their names agree).
"""

from __future__ import annotations

import numpy as np


def C(g, *shape, lo=-1.0, hi=1.0):  # noqa: N802
    return g.uniform(lo, hi, shape) + 1j * g.uniform(lo, hi, shape)


def right_half(g, *shape):
    """Real part in [0.3, 1.5): off the branch cuts on the negative real axis."""
    return g.uniform(0.3, 1.5, shape) + 1j * g.uniform(-1.0, 1.0, shape)


def inner_disk(g, *shape):
    """|z| < 0.85: off the branch cuts of asin, acos, atan, asinh and atanh."""
    return 0.6 * C(g, *shape)


def away0(g, *shape):
    return g.uniform(0.3, 1.5, shape) * np.exp(1j * g.uniform(-3.0, 3.0, shape))


def near_positive(g, *shape):
    """|arg z| < 0.7: squares (and their means) stay in the right half-plane, off the
    branch cut of rsqrt."""
    return g.uniform(0.5, 1.5, shape) + 1j * g.uniform(-0.4, 0.4, shape)


CASES: list = []


def case(name, area, make, call, label="c"):
    CASES.append((name, label, area, make, call))


def _index(L, values):
    return L.tensor(values)


# -- shapes, arrangement, diagonals, gathering, joining -------------------------------

for name, make, call in [
    ("flip", lambda g: [C(g, 2, 3)], lambda L, z: L.flip(z, (0, 1))),
    ("fliplr", lambda g: [C(g, 2, 3)], lambda L, z: L.fliplr(z)),
    ("flipud", lambda g: [C(g, 2, 3)], lambda L, z: L.flipud(z)),
    ("roll", lambda g: [C(g, 2, 3)], lambda L, z: L.roll(z, 1, 1)),
    ("rot90", lambda g: [C(g, 2, 3)], lambda L, z: L.rot90(z, 1, (0, 1))),
    ("tile", lambda g: [C(g, 2, 3)], lambda L, z: L.tile(z, (2, 1))),
    ("tril", lambda g: [C(g, 3, 3)], lambda L, z: L.tril(z)),
    ("triu", lambda g: [C(g, 3, 3)], lambda L, z: L.triu(z, 1)),
    ("repeat_interleave", lambda g: [C(g, 2, 3)], lambda L, z: L.repeat_interleave(z, 2, 0)),
    ("diag", lambda g: [C(g, 3, 3)], lambda L, z: L.diag(z)),
    ("diag_embed", lambda g: [C(g, 2, 3)], lambda L, z: L.diag_embed(z)),
    ("diagonal", lambda g: [C(g, 3, 3)], lambda L, z: L.diagonal(z, 1)),
    ("trace", lambda g: [C(g, 3, 3)], lambda L, z: L.trace(z)),
    ("gather", lambda g: [C(g, 3, 3)],
     lambda L, z: L.gather(z, 1, _index(L, [[0, 0], [1, 2], [2, 1]]))),
    ("index_select", lambda g: [C(g, 3, 3)],
     lambda L, z: L.index_select(z, 0, _index(L, [2, 0, 2]))),
    ("index_add", lambda g: [C(g, 3, 3), C(g, 2, 3)],
     lambda L, z, s: L.index_add(z, 0, _index(L, [2, 0]), s)),
    ("index_copy", lambda g: [C(g, 3, 3), C(g, 2, 3)],
     lambda L, z, s: L.index_copy(z, 0, _index(L, [2, 0]), s)),
    ("masked_fill", lambda g: [C(g, 2, 3)],
     lambda L, z: L.masked_fill(z, _index(L, [[True, False, True], [False, False, True]]),
                                0.5)),
    ("masked_select", lambda g: [C(g, 2, 3)],
     lambda L, z: L.masked_select(z, _index(L, [[True, False, True], [False, False, True]]))),
    ("scatter", lambda g: [C(g, 3, 3), C(g, 2, 3)],
     lambda L, z, s: L.scatter(z, 0, _index(L, [[1, 2, 0], [2, 0, 1]]), s)),
    ("scatter_add", lambda g: [C(g, 3, 3), C(g, 2, 3)],
     lambda L, z, s: L.scatter_add(z, 0, _index(L, [[1, 2, 0], [1, 0, 1]]), s)),
    ("take", lambda g: [C(g, 3, 3)], lambda L, z: L.take(z, _index(L, [0, 4, 4, 8]))),
    ("take_along_dim", lambda g: [C(g, 3, 3)],
     lambda L, z: L.take_along_dim(z, _index(L, [[0], [2], [1]]), 1)),
    ("index_put", lambda g: [C(g, 3, 3), C(g, 2)],
     lambda L, z, v: L.index_put(z, (_index(L, [0, 2]), _index(L, [1, 1])), v)),
    ("chunk", lambda g: [C(g, 4, 3)], lambda L, z: L.chunk(z, 2, 0)[1]),
    ("split", lambda g: [C(g, 4, 3)], lambda L, z: L.split(z, [1, 3], 0)[1]),
    ("unbind", lambda g: [C(g, 2, 3)], lambda L, z: L.unbind(z, 1)[2]),
    ("narrow", lambda g: [C(g, 4, 3)], lambda L, z: L.narrow(z, 0, 1, 2)),
    ("select", lambda g: [C(g, 4, 3)], lambda L, z: L.select(z, 1, 2)),
    ("hstack", lambda g: [C(g, 2, 3), C(g, 2, 1)], lambda L, a, b: L.hstack((a, b))),
    ("vstack", lambda g: [C(g, 2, 3), C(g, 3)], lambda L, a, b: L.vstack((a, b))),
    ("dstack", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.dstack((a, b))),
    ("column_stack", lambda g: [C(g, 3), C(g, 3, 2)], lambda L, a, b: L.column_stack((a, b))),
    ("meshgrid", lambda g: [C(g, 3), C(g, 2)],
     lambda L, a, b: L.meshgrid(a, b, indexing="ij")[1] * L.meshgrid(a, b, indexing="ij")[0]),
    ("stack", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.stack((a, b), 1)),
    ("movedim", lambda g: [C(g, 2, 3, 4)], lambda L, z: L.movedim(z, 0, 2)),
    ("moveaxis", lambda g: [C(g, 2, 3, 4)], lambda L, z: L.moveaxis(z, 2, 0)),
    ("unflatten", lambda g: [C(g, 2, 6)], lambda L, z: L.unflatten(z, 1, (2, 3))),
    ("flatten", lambda g: [C(g, 2, 3, 2)], lambda L, z: L.flatten(z, 1)),
    ("ravel", lambda g: [C(g, 2, 3)], lambda L, z: L.ravel(z)),
    ("atleast_1d", lambda g: [C(g)], lambda L, z: L.atleast_1d(z)),
    ("atleast_2d", lambda g: [C(g, 3)], lambda L, z: L.atleast_2d(z)),
    ("atleast_3d", lambda g: [C(g, 3)], lambda L, z: L.atleast_3d(z)),
    ("squeeze", lambda g: [C(g, 2, 1, 3)], lambda L, z: L.squeeze(z, 1)),
    ("unsqueeze", lambda g: [C(g, 2, 3)], lambda L, z: L.unsqueeze(z, 1)),
    ("expand", lambda g: [C(g, 2, 1)], lambda L, z: z.expand(2, 3)),
    ("swapaxes", lambda g: [C(g, 2, 3)], lambda L, z: L.swapaxes(z, 0, 1)),
    ("swapdims", lambda g: [C(g, 2, 3)], lambda L, z: L.swapdims(z, 0, 1)),
    ("transpose", lambda g: [C(g, 2, 3, 2)], lambda L, z: L.transpose(z, 0, 2)),
    ("t", lambda g: [C(g, 2, 3)], lambda L, z: L.t(z)),
    ("fft.ifftshift", lambda g: [C(g, 2, 3)], lambda L, z: L.fft.ifftshift(z)),
]:
    case(name, "shape", make, call)

# -- products ---------------------------------------------------------------------------

for name, make, call in [
    ("einsum", lambda g: [C(g, 2, 3), C(g, 3, 4)], lambda L, a, b: L.einsum("ij,jk->ik", a, b)),
    ("tensordot", lambda g: [C(g, 2, 3, 4), C(g, 3, 4, 2)], lambda L, a, b: L.tensordot(a, b, 2)),
    ("kron", lambda g: [C(g, 2, 2), C(g, 2, 3)], lambda L, a, b: L.kron(a, b)),
    ("cross", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.cross(a, b, dim=1)),
    ("linalg.cross", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.linalg.cross(a, b)),
    ("outer", lambda g: [C(g, 3), C(g, 2)], lambda L, a, b: L.outer(a, b)),
    ("ger", lambda g: [C(g, 3), C(g, 2)], lambda L, a, b: L.ger(a, b)),
    ("inner", lambda g: [C(g, 2, 3), C(g, 4, 3)], lambda L, a, b: L.inner(a, b)),
    ("vdot", lambda g: [C(g, 3), C(g, 3)], lambda L, a, b: L.vdot(a, b)),
    ("dot", lambda g: [C(g, 3), C(g, 3)], lambda L, a, b: L.dot(a, b)),
    ("mm", lambda g: [C(g, 2, 3), C(g, 3, 2)], lambda L, a, b: L.mm(a, b)),
    ("bmm", lambda g: [C(g, 2, 2, 3), C(g, 2, 3, 2)], lambda L, a, b: L.bmm(a, b)),
    ("linalg.vecdot", lambda g: [C(g, 2, 3), C(g, 3)], lambda L, a, b: L.linalg.vecdot(a, b)),
    ("linalg.matmul", lambda g: [C(g, 2, 3), C(g, 3, 2)], lambda L, a, b: L.linalg.matmul(a, b)),
    ("linalg.multi_dot", lambda g: [C(g, 2, 3), C(g, 3, 3), C(g, 3)],
     lambda L, a, b, c: L.linalg.multi_dot([a, b, c])),
    ("lerp", lambda g: [C(g, 2, 3), C(g, 2, 3), C(g, 2, 3)], lambda L, a, b, w: L.lerp(a, b, w)),
    ("logaddexp", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.logaddexp(a, b)),
]:
    case(name, "contract", make, call)
case("einsum", "contract", lambda g: [C(g, 3, 3)], lambda L, a: L.einsum("ii->", a), "c-trace")
case("lerp", "contract", lambda g: [C(g, 2, 3), C(g, 2, 3)], lambda L, a, b: L.lerp(a, b, 0.3),
     "c-scalar-weight")

# -- reductions and scans ---------------------------------------------------------------

for name, make, call in [
    ("prod", lambda g: [C(g, 2, 3)], lambda L, z: L.prod(z, 1)),
    ("var", lambda g: [C(g, 2, 3)], lambda L, z: L.var(z, 1)),
    ("std", lambda g: [C(g, 2, 3)], lambda L, z: L.std(z)),
    ("var_mean", lambda g: [C(g, 2, 3)], lambda L, z: L.var_mean(z, 0)[0] * L.var_mean(z, 0)[1]),
    ("std_mean", lambda g: [C(g, 2, 3)], lambda L, z: L.std_mean(z, 1)[0] * L.std_mean(z, 1)[1]),
    ("logsumexp", lambda g: [C(g, 2, 3)], lambda L, z: L.logsumexp(z, 1)),
    ("cumsum", lambda g: [C(g, 2, 3)], lambda L, z: L.cumsum(z, 1)),
    ("cumprod", lambda g: [C(g, 2, 3)], lambda L, z: L.cumprod(z, 1)),
    ("logcumsumexp", lambda g: [C(g, 2, 3)], lambda L, z: L.logcumsumexp(z, 1)),
]:
    case(name, "reduce", make, call)
case("prod", "reduce", lambda g: [C(g, 2, 3)], lambda L, z: L.prod(z), "c-all")
case("cumprod", "reduce", lambda g: [C(g, 3, 2) * np.array([[1], [0], [1]])],
     lambda L, z: L.cumprod(z, 0), "c-zero")
case("var", "reduce", lambda g: [C(g, 4)], lambda L, z: L.var(z, correction=0), "c-correction0")
case("nan_to_num", "unary", lambda g: [C(g, 2, 3)], lambda L, z: L.nan_to_num(z))

# Complex here, refused by PyTorch (on CPU): swept against finite differences only.
TORCH_REFUSES = {"nansum", "nanmean"}
case("nansum", "reduce", lambda g: [C(g, 2, 3)], lambda L, z: L.nansum(z, 1))
case("nanmean", "reduce", lambda g: [C(g, 2, 3)], lambda L, z: L.nanmean(z, 0))

# -- elementwise --------------------------------------------------------------------------

_DOMAIN = {"log2": right_half, "log10": right_half, "log1p": right_half, "rsqrt": right_half,
           "reciprocal": away0, "asin": inner_disk, "acos": inner_disk, "atan": inner_disk,
           "asinh": inner_disk, "atanh": inner_disk,
           "acosh": lambda g, *s: right_half(g, *s) + 1.2}
for _name in ["exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "square", "reciprocal", "sinh",
              "cosh", "asinh", "atan", "sinc", "asin", "acos", "atanh", "acosh"]:
    case(_name, "unary", (lambda d: lambda g: [d(g, 2, 3)])(_DOMAIN.get(_name, C)),
         (lambda n: lambda L, z: getattr(L, n)(z))(_name))
case("sinc", "unary", lambda g: [C(g, 3) * 0.01], lambda L, z: L.sinc(z), "c-near0")

# -- nn.functional ----------------------------------------------------------------------

for name, make, call in [
    ("nn.functional.linear", lambda g: [C(g, 2, 3), C(g, 4, 3), C(g, 4)],
     lambda L, x, w, b: L.nn.functional.linear(x, w, b)),
    ("nn.functional.l1_loss", lambda g: [C(g, 2, 3), C(g, 2, 3)],
     lambda L, a, b: L.nn.functional.l1_loss(a, b)),
    ("nn.functional.normalize", lambda g: [C(g, 2, 3)], lambda L, z: L.nn.functional.normalize(z)),
    ("nn.functional.softsign", lambda g: [C(g, 2, 3)], lambda L, z: L.nn.functional.softsign(z)),
    ("nn.functional.pad", lambda g: [C(g, 2, 3)], lambda L, z: L.nn.functional.pad(z, (1, 2))),
    ("nn.functional.conv1d", lambda g: [C(g, 1, 2, 5), C(g, 3, 2, 2), C(g, 3)],
     lambda L, x, w, b: L.nn.functional.conv1d(x, w, b, padding=1)),
    ("nn.functional.conv2d", lambda g: [C(g, 1, 2, 4, 4), C(g, 3, 2, 2, 2)],
     lambda L, x, w: L.nn.functional.conv2d(x, w, stride=2)),
    ("nn.functional.conv3d", lambda g: [C(g, 1, 1, 3, 3, 3), C(g, 2, 1, 2, 2, 2)],
     lambda L, x, w: L.nn.functional.conv3d(x, w)),
    ("nn.functional.conv_transpose1d", lambda g: [C(g, 1, 2, 4), C(g, 2, 3, 2)],
     lambda L, x, w: L.nn.functional.conv_transpose1d(x, w, stride=2)),
    ("nn.functional.conv_transpose2d", lambda g: [C(g, 1, 2, 3, 3), C(g, 2, 1, 2, 2)],
     lambda L, x, w: L.nn.functional.conv_transpose2d(x, w)),
    ("nn.functional.conv_transpose3d", lambda g: [C(g, 1, 1, 2, 2, 2), C(g, 1, 2, 2, 2, 2)],
     lambda L, x, w: L.nn.functional.conv_transpose3d(x, w)),
    ("nn.functional.unfold", lambda g: [C(g, 1, 2, 4, 4)],
     lambda L, z: L.nn.functional.unfold(z, 2, padding=1, stride=2)),
    ("nn.functional.fold", lambda g: [C(g, 1, 8, 4)],
     lambda L, z: L.nn.functional.fold(z, (3, 3), 2)),
    ("nn.functional.pixel_shuffle", lambda g: [C(g, 1, 4, 2, 3)],
     lambda L, z: L.nn.functional.pixel_shuffle(z, 2)),
    ("nn.functional.pixel_unshuffle", lambda g: [C(g, 1, 1, 4, 2)],
     lambda L, z: L.nn.functional.pixel_unshuffle(z, 2)),
    ("nn.functional.alpha_dropout", lambda g: [C(g, 2, 3)],
     lambda L, z: L.nn.functional.alpha_dropout(z, 0.0, training=True)),
    ("nn.functional.pairwise_distance", lambda g: [C(g, 2, 3), C(g, 2, 3)],
     lambda L, a, b: L.nn.functional.pairwise_distance(a, b)),
    ("nn.functional.poisson_nll_loss", lambda g: [C(g, 2, 3), C(g, 2, 3)],
     lambda L, x, t: L.nn.functional.poisson_nll_loss(x, t)),
    ("nn.functional.rms_norm", lambda g: [near_positive(g, 2, 3), C(g, 3)],
     lambda L, z, w: L.nn.functional.rms_norm(z, (3,), w)),
]:
    case(name, "nn", make, call)
case("nn.functional.pairwise_distance", "nn", lambda g: [C(g, 2, 3), C(g, 3)],
     lambda L, a, b: L.nn.functional.pairwise_distance(a, b, p=1.0, keepdim=True), "c-p1")
case("nn.functional.poisson_nll_loss", "nn", lambda g: [right_half(g, 4), C(g, 4)],
     lambda L, x, t: L.nn.functional.poisson_nll_loss(x, t, log_input=False, reduction="sum"),
     "c-rate")

# Differentiable with complex input in both libraries, but PyTorch computes no complex
# gradient for them (forward only): swept against finite differences, not PyTorch.
NO_TORCH_GRADIENT = {"nn.functional.bilinear", "nn.functional.dropout", "nn.functional.silu",
                     "nan_to_num"}
case("nn.functional.bilinear", "nn", lambda g: [C(g, 2, 3), C(g, 2, 4), C(g, 5, 3, 4)],
     lambda L, x, y, w: L.nn.functional.bilinear(x, y, w))
case("nn.functional.dropout", "nn", lambda g: [C(g, 2, 3)],
     lambda L, z: L.nn.functional.dropout(z, 0.0))
case("nn.functional.silu", "nn", lambda g: [C(g, 2, 3)], lambda L, z: L.nn.functional.silu(z))


class _Generator:
    """``uniform(lo, hi, shape)`` from the seeded generator of the module of cases."""

    @staticmethod
    def uniform(lo, hi, shape):
        from ._common import real

        return real(shape, lo, hi)


def register(area: str) -> None:
    """Add the cases of ``area`` to the public-function sweep (``add_fn_case``)."""
    import wengert as wg

    from ._common import add_fn_case

    for name, label, where, make, call in CASES:
        if where == area:
            arrays = [np.asarray(a, dtype=np.complex128) for a in make(_Generator)]
            add_fn_case(name, label, (lambda c: lambda *xs: c(wg, *xs))(call), *arrays)

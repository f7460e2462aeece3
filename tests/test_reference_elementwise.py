"""The elementwise functions and activations against PyTorch: values, first- and
second-order gradients on the same inputs, the kinks and special points included.

Deliberate differences (each has its own test below):

* ``sinc``: near 0 the slope comes from its Taylor series, so it keeps its digits where
  PyTorch's formula cancels (36% off at x = 1e-8), and the second derivative at 0 is the
  true ``-pi^2/3`` where PyTorch's is NaN.
* ``hardsigmoid``: PyTorch has no second derivative (it raises); ours is 0.
* ``gelu`` (exact) is computed from ``erfc``, so it keeps its relative accuracy for
  negative inputs, where PyTorch's ``1 + erf(x / sqrt 2)`` cancels; values agree to 1e-14
  absolute.
* ``fmax``/``fmin`` follow PyTorch (the whole gradient to ``input`` on ties), not
  ``maximum``'s even split.
* Where PyTorch's second derivative is NaN only because its formula divides 0 by 0 or
  overflows (``logit(eps)`` at 0 and 1, ``copysign`` at +-0, ``mish`` at 1000), ours is
  the finite limit; at the origin of ``atan2``, where no second derivative exists,
  PyTorch gives NaN and we a finite number. The tests skip those entries
  (``skip_torch_nans``) and check that ours are finite.
* PyTorch's float64 ``hardsigmoid`` backward multiplies by a float32 ``1/6``; ours is
  exact, so the first derivatives agree to 1e-7 there.
"""

import math

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as WF

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(7)


def _grads(lib, y, xs, u, w):
    """First-order grads of <u, y> (with a graph) and second-order grads of <w, g>."""
    if lib is wg:
        y_u = (y * wg.tensor(u)).sum()
        g1 = wg.grad(y_u, xs, create_graph=True, allow_unused=True)
    else:
        y_u = (y * torch.tensor(u)).sum()
        g1 = torch.autograd.grad(y_u, xs, create_graph=True, allow_unused=True)
    pairs = [(g, wi) for g, wi in zip(g1, w) if g is not None and g.requires_grad]
    g2 = [None] * len(xs)
    if pairs:
        if lib is wg:
            s = sum((g * wg.tensor(wi)).sum() for g, wi in pairs)
            g2 = wg.grad(s, xs, allow_unused=True)
        else:
            s = sum((g * torch.tensor(wi)).sum() for g, wi in pairs)
            try:
                g2 = torch.autograd.grad(s, xs, allow_unused=True)
            except RuntimeError as e:
                if "not implemented" not in str(e):
                    raise
                g2 = ["not implemented"] * len(xs)
    return g1, g2


def _np(t, shape):
    if t is None:
        return np.zeros(shape)
    return t.detach().numpy() if hasattr(t, "detach") else t.numpy()


def compare(wfn, tfn, *arrays, rtol=1e-12, atol=1e-14, second=True, raw=(),
            skip_torch_nans=False):
    """``wfn(*tensors)`` and ``tfn(*tensors)`` agree in value, gradient and Hessian-vector
    product, on float64 inputs (the indices in ``raw`` are passed as numbers).
    ``skip_torch_nans``: second-order entries where PyTorch has NaN are not compared, but
    ours must be finite there."""
    wx, tx = [], []
    for i, a in enumerate(arrays):
        if i in raw:
            wx.append(a)
            tx.append(a)
        else:
            wx.append(wg.tensor(np.asarray(a, np.float64), requires_grad=True))
            tx.append(torch.tensor(np.asarray(a, np.float64), requires_grad=True))
    wy, ty = wfn(*wx), tfn(*tx)
    np.testing.assert_allclose(_np(wy, None), _np(ty, None), rtol=rtol, atol=atol,
                               err_msg="values")
    assert wy.dtype == np.float64 and ty.dtype == torch.float64
    xs_w = [x for i, x in enumerate(wx) if i not in raw]
    xs_t = [x for i, x in enumerate(tx) if i not in raw]
    u = rng.standard_normal(wy.shape)
    w = [rng.standard_normal(x.shape) for x in xs_w]
    g1w, g2w = _grads(wg, wy, xs_w, u, w)
    g1t, g2t = _grads(torch, ty, xs_t, u, w)
    for k, (a, b, x) in enumerate(zip(g1w, g1t, xs_w)):
        np.testing.assert_allclose(_np(a, x.shape), _np(b, x.shape), rtol=rtol, atol=atol,
                                   err_msg=f"first-order gradient of input {k}")
    if second:
        for k, (a, b, x) in enumerate(zip(g2w, g2t, xs_w)):
            a, b = _np(a, x.shape), _np(b, x.shape)
            if skip_torch_nans:
                skip = np.isnan(b)
                assert np.all(np.isfinite(a[skip]))
                a, b = a[~skip], b[~skip]
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol,
                                       err_msg=f"second-order gradient of input {k}")
    return g2w, g2t


def smooth(lo, hi, n=7):
    return rng.uniform(lo, hi, n)


# -- one-input functions --------------------------------------------------------------------

UNARY = {  # name: (inputs, torch function or None for torch.<name>)
    "exp2": smooth(-3, 3), "expm1": np.r_[smooth(-2, 2), 1e-10, -1e-8],
    "log2": smooth(0.1, 4), "log10": smooth(0.1, 4), "log1p": np.r_[smooth(-0.9, 3), 1e-10],
    "rsqrt": smooth(0.1, 4), "square": smooth(-3, 3), "reciprocal": np.r_[smooth(0.2, 3), -0.7],
    "asin": smooth(-0.95, 0.95), "acos": smooth(-0.95, 0.95), "atan": smooth(-4, 4),
    "sinh": smooth(-3, 3), "cosh": smooth(-3, 3), "asinh": smooth(-4, 4),
    "acosh": smooth(1.05, 4), "atanh": smooth(-0.95, 0.95),
    "erf": np.r_[smooth(-3, 3), 0.0, 0.46875, 4.5, -6.0], "erfc": np.r_[smooth(-3, 3), 0, 5, 9],
    "erfinv": np.r_[smooth(-0.99, 0.99), 0.0, 0.999999, -0.9999],
    "sinc": np.r_[smooth(-3, 3), 1.0, -2.0, 0.5],
    # the rounding functions, including their jumps (integers, halves)
    "floor": np.r_[smooth(-3, 3), -2.0, 0.0, 1.0, 2.5], "ceil": np.r_[smooth(-3, 3), -1.0, 2.0],
    "trunc": np.r_[smooth(-3, 3), -1.0, 0.0], "round": np.r_[smooth(-3, 3), 0.5, 1.5, -2.5],
    "frac": np.r_[smooth(-3, 3), -1.0, 2.0], "deg2rad": smooth(-360, 360),
    "rad2deg": smooth(-4, 4), "logit": smooth(0.05, 0.95),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    compare(getattr(wg, name), getattr(torch, name), UNARY[name])


@pytest.mark.parametrize("name", ["exp2", "log1p", "asinh", "erf", "erfinv", "sinc", "floor"])
def test_unary_methods(name):
    x = UNARY[name][:3]
    compare(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x)


def test_sinc_at_zero():
    """Value 1, slope 0 as PyTorch; second derivative -pi^2/3 where PyTorch has NaN."""
    x = np.array([0.0, 0.7])
    compare(wg.sinc, torch.sinc, x, second=False)
    g2w, g2t = compare(wg.sinc, torch.sinc, x[1:])  # elsewhere they agree
    xt = wg.tensor(0.0, dtype=wg.float64, requires_grad=True)
    (g,) = wg.grad(wg.sinc(xt), [xt], create_graph=True)
    (h,) = wg.grad(g, [xt])
    assert g.item() == 0.0 and h.item() == pytest.approx(-math.pi ** 2 / 3, rel=1e-12)


def test_sinc_slope_near_zero_keeps_its_digits():
    """PyTorch's slope formula cancels near 0 (36% wrong at x = 1e-8); ours uses the series."""
    x = np.array([1e-8, -1e-5, 3e-7])
    expected = -math.pi ** 2 * x / 3 * (1 - math.pi ** 2 * x * x / 10)  # exact to 1e-20 here
    xt = wg.tensor(x, requires_grad=True)
    (g,) = wg.grad(wg.sinc(xt).sum(), [xt])
    np.testing.assert_allclose(g.numpy(), expected, rtol=1e-15)


@pytest.mark.parametrize("decimals", [1, 2, -1])
def test_round_decimals(decimals):
    x = np.array([0.25, 0.35, 1.125, -2.675, 125.0, 15.0, 0.05])
    compare(lambda t: wg.round(t, decimals=decimals), lambda t: torch.round(t, decimals=decimals), x)


@pytest.mark.parametrize("eps", [0.1, 0.25])
def test_logit_eps(eps):
    # inside, at both bounds, and outside (clamped: derivative 0)
    x = np.array([0.5, eps, 1 - eps, eps / 2, 1 - eps / 3, 0.0, 1.0, 0.3])
    compare(lambda t: wg.logit(t, eps), lambda t: torch.logit(t, eps), x, skip_torch_nans=True)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the largest double, squared, summed
def test_nan_to_num():
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -0.25])
    compare(wg.nan_to_num, torch.nan_to_num, x)
    compare(lambda t: wg.nan_to_num(t, nan=1.0, posinf=9.0, neginf=-9.0),
            lambda t: torch.nan_to_num(t, nan=1.0, posinf=9.0, neginf=-9.0), x)


INTEGER_RESULTS = ["exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "square", "reciprocal",
                   "asin", "atan", "sinh", "asinh", "erf", "erfc", "erfinv", "sinc", "floor",
                   "ceil", "trunc", "round", "deg2rad", "rad2deg", "logit", "nan_to_num"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log(0), asin(2): as NumPy
@pytest.mark.parametrize("name", INTEGER_RESULTS)
def test_integer_inputs_give_pytorchs_dtype(name):
    w = getattr(wg, name)(wg.tensor([0, 1, 2]))
    t = getattr(torch, name)(torch.tensor([0, 1, 2]))
    assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["exp2", "erf", "erfinv", "sinc", "logit", "round", "rsqrt"])
def test_float32_stays_float32(name):
    x = np.array([0.125, 0.5, 0.875], np.float32)
    w, t = getattr(wg, name)(wg.tensor(x)), getattr(torch, name)(torch.tensor(x))
    assert w.dtype == np.float32 and t.dtype == torch.float32
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=2e-6)


# -- two-input functions --------------------------------------------------------------------

NAN = np.nan
BINARY = {  # name: (input, other), special points included
    "atan2": (np.r_[smooth(-2, 2), 0.0, 0.0, 1.0], np.r_[smooth(-2, 2), 0.0, -1.0, 0.0]),
    "hypot": (np.r_[smooth(-2, 2), 3.0, 0.0], np.r_[smooth(-2, 2), -4.0, 2.0]),
    "fmod": (np.r_[smooth(-5, 5), 5.5, -5.5], np.r_[smooth(0.5, 2), 2.0, 2.0]),
    "remainder": (np.r_[smooth(-5, 5), 5.5, -5.5, 3.0], np.r_[-smooth(0.5, 2), 2.0, 2.0, -2.0]),
    "fmax": (np.array([1.0, NAN, 1.0, NAN, -2.0, 3.0]), np.array([1.0, 1.0, NAN, NAN, 2.0, -3.0])),
    "fmin": (np.array([1.0, NAN, 1.0, NAN, -2.0, 3.0]), np.array([1.0, 1.0, NAN, NAN, 2.0, -3.0])),
    "logaddexp": (np.r_[smooth(-3, 3), 1000.0, -1000.0], np.r_[smooth(-3, 3), 1000.0, -999.0]),
    "logaddexp2": (np.r_[smooth(-3, 3), 1000.0], np.r_[smooth(-3, 3), 1001.0]),
    "xlogy": (np.array([0.0, 0.0, 0.0, 1.5, -2.0, 0.0]), np.array([0.0, -1.0, 2.0, 3.0, 0.5, NAN])),
    "copysign": (np.array([0.0, -0.0, 2.0, -2.0, 1.5]), np.array([-1.0, 1.0, -3.0, 3.0, -0.0])),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name):
    compare(getattr(wg, name), getattr(torch, name), *BINARY[name],
            skip_torch_nans=name in ("atan2", "copysign"))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_broadcasting_and_numbers(name):
    a, b = rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,))
    compare(getattr(wg, name), getattr(torch, name), a, b)
    compare(getattr(wg, name), getattr(torch, name), a[:1].T, b)
    # numbers on either side (PyTorch needs 0-d tensors for most of these)
    c, d = torch.tensor(0.75, dtype=torch.float64), torch.tensor(1.25, dtype=torch.float64)
    compare(lambda x: getattr(wg, name)(x, 0.75), lambda x: getattr(torch, name)(x, c), a)
    compare(lambda x: getattr(wg, name)(1.25, x), lambda x: getattr(torch, name)(d, x), b)


@pytest.mark.parametrize("weight", [0.3, 0.5, 0.9, "tensor"])
def test_lerp(weight):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    if weight == "tensor":
        compare(wg.lerp, torch.lerp, a, b, np.array([[-0.2], [0.7]]))
    else:
        compare(lambda x, y: wg.lerp(x, y, weight), lambda x, y: torch.lerp(x, y, weight), a, b)
    x = wg.tensor([1.0, 2.0], dtype=wg.float64)
    assert wg.lerp(x, wg.tensor([3.0, -1.0], dtype=wg.float64), 1.0).tolist() == [3.0, -1.0]


def test_operators_and_methods():
    a, b = rng.uniform(-3, 3, (2, 3)), rng.uniform(0.5, 2, (3,))
    compare(lambda x, y: x % y, lambda x, y: x % y, a, b)
    compare(lambda x: 2.5 % x, lambda x: torch.tensor(2.5, dtype=torch.float64) % x, b)
    compare(lambda x, y: x.fmod(y), lambda x, y: x.fmod(y), a, b)
    compare(lambda x, y: x.atan2(y), lambda x, y: x.atan2(y), a, b)
    compare(lambda x, y: x.lerp(y, 0.25), lambda x, y: x.lerp(y, 0.25), a, b)
    for x, y in [(a, b), (np.array([5, -5, 7]), np.array([2, 2, -3])), (5.5, b)]:
        w = wg.as_tensor(x) // wg.as_tensor(y) if not isinstance(x, float) else x // wg.tensor(y)
        t = torch.as_tensor(x) // torch.as_tensor(y) if not isinstance(x, float) \
            else x // torch.tensor(y)
        np.testing.assert_array_equal(w.numpy(), t.numpy())
        assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(wg.floor_divide(wg.tensor(a), 0.7).numpy(),
                                  torch.floor_divide(torch.tensor(a), 0.7).numpy())


@pytest.mark.parametrize("name", ["fmod", "remainder", "fmax", "fmin", "atan2", "copysign",
                                  "xlogy", "floor_divide"])
def test_binary_integer_dtypes(name):
    a, b = np.array([5, -5, 7]), np.array([2, 3, -3])
    w, t = getattr(wg, name)(wg.tensor(a), wg.tensor(b)), getattr(torch, name)(
        torch.tensor(a), torch.tensor(b))
    assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-6)


# -- activations -----------------------------------------------------------------------------

KINKS = np.array([-1000.0, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0, 1000.0])
ACTIVATIONS = {  # name: kwargs
    "relu": {}, "relu6": {}, "leaky_relu": {}, "elu": {}, "selu": {}, "celu": {},
    "gelu": {}, "silu": {}, "mish": {}, "softplus": {}, "softsign": {}, "hardtanh": {},
    "hardswish": {}, "logsigmoid": {}, "sigmoid": {}, "tanh": {},
}
VARIANTS = [("leaky_relu", {"negative_slope": 0.2}), ("elu", {"alpha": 0.5}),
            ("celu", {"alpha": 2.0}), ("gelu", {"approximate": "tanh"}),
            ("softplus", {"beta": 2.0, "threshold": 1.0}), ("softplus", {"beta": 0.5}),
            ("hardtanh", {"min_val": -0.5, "max_val": 3.0}),
            ("threshold", {"threshold": 0.5, "value": -2.0}),
            ("threshold", {"threshold": -1.0, "value": 7.0})]


@pytest.mark.parametrize("name,kwargs", [*ACTIVATIONS.items(), *VARIANTS],
                         ids=lambda v: str(v).replace(" ", ""))
def test_activation(name, kwargs):
    x = np.r_[KINKS, smooth(-5, 5, 9)]
    compare(lambda t: getattr(WF, name)(t, **kwargs), lambda t: getattr(TF, name)(t, **kwargs), x,
            skip_torch_nans=name == "mish")


def test_gelu_is_more_accurate_than_pytorchs_in_the_negative_tail():
    x = np.array([-6.0, -8.0, -10.0])
    expected = np.array([x_ * 0.5 * math.erfc(-x_ / math.sqrt(2)) for x_ in x])
    got = WF.gelu(wg.tensor(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=5e-14)  # (the argument's rounding)
    torch_value = TF.gelu(torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, torch_value, rtol=0, atol=1e-14)


def test_hardsigmoid():
    """Values and first derivatives as PyTorch (0 at +-3); PyTorch has no second derivative,
    ours is 0."""
    x = np.r_[KINKS, smooth(-5, 5, 9)]
    compare(WF.hardsigmoid, TF.hardsigmoid, x, second=False, rtol=1e-7)
    xt = wg.tensor(x, requires_grad=True)
    (g,) = wg.grad(WF.hardsigmoid(xt).sum(), [xt], create_graph=True)
    assert not g.requires_grad  # the slope is piecewise constant: nothing to differentiate


@pytest.mark.parametrize("dim", [-1, 0, 1])
def test_glu(dim):
    compare(lambda t: WF.glu(t, dim), lambda t: TF.glu(t, dim), rng.standard_normal((4, 6)))


def test_no_overflow_at_large_arguments():
    x = wg.tensor([-1000.0, 1000.0], dtype=wg.float32, requires_grad=True)
    for fn in (WF.softplus, WF.logsigmoid, WF.mish, WF.silu, WF.gelu, WF.elu, WF.selu):
        y = fn(x)
        (g,) = wg.grad(y.sum(), [x])
        assert np.all(np.isfinite(y.detach().numpy())) and np.all(np.isfinite(g.numpy())), fn
        np.testing.assert_allclose(
            y.detach().numpy(), getattr(TF, fn.__name__)(torch.tensor([-1000.0, 1000.0])).numpy())


def test_float32_activations():
    x = np.array([-2.5, -0.5, 0.0, 0.75, 3.0], np.float32)
    for name in ACTIVATIONS:
        w, t = getattr(WF, name)(wg.tensor(x)), getattr(TF, name)(torch.tensor(x))
        assert w.dtype == np.float32, name
        np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-6, atol=1e-7, err_msg=name)


def test_inplace_activations():
    for name in ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "silu", "mish",
                 "hardtanh", "hardswish", "hardsigmoid"):
        x = np.array([-2.0, -0.5, 0.5, 4.0])
        w, t = wg.tensor(x), torch.tensor(x)
        assert getattr(WF, name)(w, inplace=True) is w
        getattr(TF, name)(t, inplace=True)
        np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-14, err_msg=name)


# -- third order ---------------------------------------------------------------------------


def _third_derivatives(lib, fn, arrays):
    """d^3/dx^3 of sum(fn(x, ...)) along all ones, per input (elementwise: the diagonal)."""
    if lib is wg:
        xs = [wg.tensor(a, requires_grad=True) for a in arrays]
        diff = lambda y: wg.grad(y.sum(), xs, create_graph=True)  # noqa: E731
    else:
        xs = [torch.tensor(a, requires_grad=True) for a in arrays]
        diff = lambda y: torch.autograd.grad(y.sum(), xs, create_graph=True)  # noqa: E731
    y = fn(*xs)
    for _ in range(3):
        y = sum(diff(y))
    return y.detach().numpy()


THIRD_ORDER = [
    ("erf", wg.erf, torch.erf, [smooth(-2, 2)]),
    ("erfc", wg.erfc, torch.erfc, [smooth(-2, 2)]),
    ("erfinv", wg.erfinv, torch.erfinv, [smooth(-0.9, 0.9)]),
    ("exp2", wg.exp2, torch.exp2, [smooth(-2, 2)]),
    ("log1p", wg.log1p, torch.log1p, [smooth(-0.5, 2)]),
    ("rsqrt", wg.rsqrt, torch.rsqrt, [smooth(0.5, 2)]),
    ("asin", wg.asin, torch.asin, [smooth(-0.8, 0.8)]),
    ("acosh", wg.acosh, torch.acosh, [smooth(1.5, 3)]),
    ("atanh", wg.atanh, torch.atanh, [smooth(-0.8, 0.8)]),
    ("sinc", wg.sinc, torch.sinc, [smooth(0.2, 2)]),
    ("logit", wg.logit, torch.logit, [smooth(0.2, 0.8)]),
    ("gelu", WF.gelu, TF.gelu, [smooth(-3, 3)]),
    ("gelu-tanh", lambda t: WF.gelu(t, approximate="tanh"),
     lambda t: TF.gelu(t, approximate="tanh"), [smooth(-3, 3)]),
    ("softplus", WF.softplus, TF.softplus, [smooth(-3, 3)]),
    ("logsigmoid", WF.logsigmoid, TF.logsigmoid, [smooth(-3, 3)]),
    ("elu", WF.elu, TF.elu, [smooth(-3, -0.1)]),
    ("mish", WF.mish, TF.mish, [smooth(-3, 3)]),
    ("atan2", wg.atan2, torch.atan2, [smooth(-2, 2), smooth(0.5, 2)]),
    ("hypot", wg.hypot, torch.hypot, [smooth(0.5, 2), smooth(-2, -0.5)]),
    ("logaddexp", wg.logaddexp, torch.logaddexp, [smooth(-2, 2), smooth(-2, 2)]),
    ("xlogy", wg.xlogy, torch.xlogy, [smooth(-2, 2), smooth(0.5, 2)]),
]


@pytest.mark.parametrize("name,wfn,tfn,arrays", THIRD_ORDER, ids=[c[0] for c in THIRD_ORDER])
def test_third_order(name, wfn, tfn, arrays):
    np.testing.assert_allclose(_third_derivatives(wg, wfn, arrays),
                               _third_derivatives(torch, tfn, arrays), rtol=1e-10, atol=1e-12)


def test_sinc_third_derivative_at_zero_is_zero():
    x = wg.tensor([0.0], dtype=wg.float64, requires_grad=True)
    y = wg.sinc(x)
    for _ in range(3):
        (y,) = wg.grad(y.sum(), [x], create_graph=True)
    assert y.item() == 0.0  # sinc is even

"""wg.autograd.Function: custom derivatives in both modes, to higher order, in transforms."""

import numpy as np
import pytest

import wengert as wg
from wengert.autograd import Function, GradcheckError, gradcheck, gradgradcheck
from wengert.func import grad, hessian, jacfwd, jacrev, jvp


def t64(values, requires_grad=True):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


class SinCube(Function):
    """sin(x) * y ** 3, with both derivatives written by hand."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return wg.sin(x) * y ** 3

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * wg.cos(x) * y ** 3, g * wg.sin(x) * 3 * y ** 2

    @staticmethod
    def jvp(ctx, tx, ty):
        x, y = ctx.saved_tensors
        return tx * wg.cos(x) * y ** 3 + ty * wg.sin(x) * 3 * y ** 2


class Exp(Function):
    """Saves its output, as PyTorch's examples do."""

    @staticmethod
    def forward(ctx, x):
        y = wg.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y

    @staticmethod
    def jvp(ctx, t):
        (y,) = ctx.saved_tensors
        return t * y


class WrongBackward(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # should be 2 g x


class NoJvp(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


X = [0.3, -1.1, 2.0]
Y = [1.5, 0.7, -0.4]


def test_correct_function_passes_gradcheck_and_gradgradcheck_in_both_modes():
    x, y = t64(X), t64(Y)
    assert gradcheck(SinCube.apply, (x, y))
    assert gradgradcheck(SinCube.apply, (x, y))
    assert gradcheck(Exp.apply, (x,)) and gradgradcheck(Exp.apply, (x,))


def test_wrong_function_is_caught_by_the_gradient_checker():
    with pytest.raises(GradcheckError, match="reverse mode"):
        gradcheck(WrongBackward.apply, (t64(X),), check_forward_ad=False)
    assert not gradcheck(WrongBackward.apply, (t64(X),), check_forward_ad=False,
                         raise_exception=False)


def test_same_results_as_the_built_in_ops():
    x, y = t64(X), t64(Y)
    x2, y2 = t64(X), t64(Y)
    SinCube.apply(x, y).sum().backward()
    (wg.sin(x2) * y2 ** 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), x2.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(y.grad.numpy(), y2.grad.numpy(), rtol=1e-15)
    assert SinCube.apply(x, y).grad_fn is not None


def test_works_under_grad_jvp_and_hessian():
    def f(v):
        return (SinCube.apply(v[:3], v[3:]) * Exp.apply(v[:3])).sum()

    def g(v):
        return ((wg.sin(v[:3]) * v[3:] ** 3) * wg.exp(v[:3])).sum()

    v = np.array(X + Y)
    np.testing.assert_allclose(grad(f)(v), grad(g)(v), rtol=1e-14)
    t = np.linspace(-1, 1, 6)
    np.testing.assert_allclose(jvp(f, (v,), (t,))[1], jvp(g, (v,), (t,))[1], rtol=1e-14)
    np.testing.assert_allclose(hessian(f)(v), hessian(g)(v), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(jacrev(jacrev(f))(v), hessian(g)(v), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(jacfwd(SinCube.apply)(np.array(X), t64(Y, False)),
                               np.diag(np.cos(X) * np.array(Y) ** 3), rtol=1e-14)


def test_forward_mode_without_jvp_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"NoJvp: forward-mode AD .* @staticmethod jvp"):
        jvp(NoJvp.apply, (np.ones(2),), (np.ones(2),))
    assert grad(lambda x: NoJvp.apply(x).sum())(np.ones(2)).tolist() == [2.0, 2.0]


def test_ctx_needs_input_grad_non_tensor_args_and_attributes():
    seen = {}

    class Scale(Function):
        @staticmethod
        def forward(ctx, x, factor, w):
            ctx.factor = factor
            seen["needs"] = ctx.needs_input_grad
            return x * factor * w

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None, None

    x = t64([1.0, 2.0])
    out = Scale.apply(x, 3.0, t64([1.0, 1.0], requires_grad=False))
    assert seen["needs"] == (True, False, False)
    out.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_multiple_outputs_mark_non_differentiable_and_materialize_grads():
    calls = []

    class SortLike(Function):
        @staticmethod
        def forward(ctx, x):
            order = wg.tensor(np.argsort(x.numpy()))
            ctx.mark_non_differentiable(order)
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(x)
            return x * 2, order, x * x

        @staticmethod
        def backward(ctx, g_double, g_order, g_square):
            calls.append((g_double is None, g_order is None, g_square is None))
            (x,) = ctx.saved_tensors
            total = 0
            if g_double is not None:
                total = total + g_double * 2
            if g_square is not None:
                total = total + g_square * 2 * x
            return total

    x = t64([3.0, 1.0])
    double, order, square = SortLike.apply(x)
    assert not order.requires_grad and order.tolist() == [1, 0]
    (double.sum() + square.sum()).backward()
    assert x.grad.tolist() == [8.0, 4.0]
    assert sorted(calls) == [(False, True, True), (True, True, False)]


def test_setup_context_style():
    class Square(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    x = t64([3.0])
    Square.apply(x).backward()
    assert x.grad.tolist() == [6.0]


def test_bad_backward_results_and_in_place_changes_are_errors():
    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g, g

    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, g):
            return g  # should be broadcast back to x's shape

    with pytest.raises(RuntimeError, match="TooMany.backward returned 2 gradients, but forward "
                                           "took 1 inputs"):
        TooMany.apply(t64([1.0])).sum().backward()
    with pytest.raises(RuntimeError, match=r"WrongShape.backward returned a gradient of shape "
                                           r"\(\) for input 0, which has shape \(2,\)"):
        WrongShape.apply(t64([1.0, 2.0])).backward()
    x = t64([1.0, 2.0])
    y = x * 1
    out = SinCube.apply(y, t64([1.0, 1.0]))
    with wg.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        out.sum().backward()
    with pytest.raises(RuntimeError, match="apply"):
        SinCube()


def test_no_input_requires_grad_returns_forward_result():
    out = SinCube.apply(t64(X, False), t64(Y, False))
    assert not out.requires_grad and out.grad_fn is None


def test_grad_fn_names_keep_the_class_name():
    x = wg.tensor([0.5], requires_grad=True)
    assert Exp.apply(x).grad_fn.name() == "ExpBackward"
    assert SinCube.apply(x, x).grad_fn.name() == "SinCubeBackward"
    assert (x * 2).grad_fn.name() == "MulBackward"
    assert wg.logsumexp(x, 0).grad_fn.name() == "LogsumexpBackward"

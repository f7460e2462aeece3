"""Cases for ``wg.nn.functional`` (softmax, losses, linear, normalizations, lookups,
dropout, attention): its primitives and every public function."""

from __future__ import annotations

import numpy as np

import wengert as wg
from wengert.nn.functional.cross_entropy import cross_entropy_params

from ._common import (
    F32_STEPS,
    NONDIFFERENTIABLE_FUNCTIONS,
    Raw,
    add_case,
    add_fn_case,
    avoiding,
    dyadic,
    integers,
    positive,
    real,
)

F = wg.nn.functional
NONDIFFERENTIABLE_FUNCTIONS.add("nn.functional.one_hot")


def probabilities(shape, axis=-1):
    p = positive(shape)
    return p / p.sum(axis, keepdims=True)


def with_ignored(t, ignore_index=-100):
    t = t.copy()
    t.flat[1] = ignore_index
    return t


# -- primitives ----------------------------------------------------------------

add_case("log1pexp", "(3,4)", real((3, 4), -3, 3))
add_case("log1pexp", "(5,)-large", np.array([-800.0, -40.0, 0.0, 40.0, 800.0]))
for shape, axis in [((3, 4), 1), ((3, 4), 0), ((2, 3, 4), 1), ((5,), 0), ((), None)]:
    for name in ("softmax", "log_softmax"):
        add_case(name, f"{shape}-axis={axis}".replace(" ", ""), real(shape, -2, 2),
                 params=(axis,))
for name in ("softmax", "log_softmax"):
    add_case(name, "(3,4)-f32", dyadic((3, 4), np.float32), params=(1,), **F32_STEPS)
    add_case(name, "(2,3)-large", real((2, 3), 995, 1005), params=(1,))

_W4 = positive((4,))
for label, shape, target, weight, ignore, smoothing in [
    ("(3,4)", (3, 4), integers((3,), 0, 4), None, -100, 0.0),
    ("(3,4)-ignore", (3, 4), with_ignored(integers((3,), 0, 4)), None, -100, 0.0),
    ("(3,4)-weight-ignore", (3, 4), with_ignored(integers((3,), 0, 4), 2), _W4, 2, 0.0),
    ("(3,4)-smooth", (3, 4), integers((3,), 0, 4), None, -100, 0.2),
    ("(3,4)-weight-smooth-ignore", (3, 4), with_ignored(integers((3,), 0, 4)), _W4, -100, 0.3),
    ("(4,)", (4,), np.array(2), None, -100, 0.0),
    ("(2,4,3)", (2, 4, 3), integers((2, 3), 0, 4), _W4, -100, 0.1),
]:
    for reduction in ("mean", "sum", "none"):
        add_case("cross_entropy", f"{label}-{reduction}", real(shape, -2, 2),
                 params=cross_entropy_params(np.zeros(shape), target, weight, ignore,
                                             reduction, smoothing))
add_case("cross_entropy", "(3,4)-f32", dyadic((3, 4), np.float32),
         params=cross_entropy_params(np.zeros((3, 4), np.float32), integers((3,), 0, 4), None,
                                     -100, "mean", 0.0), **F32_STEPS)
add_case("cross_entropy", "(2,3)-large", real((2, 3), 995, 1005),
         params=cross_entropy_params(np.zeros((2, 3)), integers((2,), 0, 3), None, -100, "sum",
                                     0.0))

for label, x, w, b in [("(3,4)@(5,4)", real((3, 4)), real((5, 4)), real((5,))),
                       ("(4,)@(5,4)", real((4,)), real((5, 4)), real((5,))),
                       ("(2,3,4)@(5,4)", real((2, 3, 4)), real((5, 4)), real((5,))),
                       ("(3,4)@(5,4)-nobias", real((3, 4)), real((5, 4)), Raw(None))]:
    add_case("linear", label, x, w, b)

# -- public functions ------------------------------------------------------------

for name in ("softmax", "log_softmax", "softmin"):
    fn = getattr(F, name)
    for shape, dim in [((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1), ((2, 3, 4), None)]:
        add_fn_case(f"nn.functional.{name}", f"{shape}-dim={dim}".replace(" ", ""), fn,
                    real(shape, -2, 2), kwargs={"dim": dim})

for reduction in ("mean", "sum", "none"):
    for label, shape, target, kw in [
        ("(3,4)", (3, 4), integers((3,), 0, 4), {}),
        ("(3,4)-ignore", (3, 4), with_ignored(integers((3,), 0, 4)), {}),
        ("(3,4)-weight-ignore=1", (3, 4), with_ignored(integers((3,), 0, 4), 1),
         {"weight": Raw(_W4), "ignore_index": 1}),
        ("(3,4)-smooth", (3, 4), integers((3,), 0, 4), {"label_smoothing": 0.2}),
        ("(3,4)-weight-smooth", (3, 4), integers((3,), 0, 4),
         {"weight": Raw(_W4), "label_smoothing": 0.25}),
        ("(4,)", (4,), np.array(3), {}),
        ("(2,4,2,3)", (2, 4, 2, 3), integers((2, 2, 3), 0, 4), {"weight": Raw(_W4)}),
        ("(3,4)-probs", (3, 4), probabilities((3, 4)), {}),
        ("(3,4)-probs-weight-smooth", (3, 4), probabilities((3, 4)),
         {"weight": Raw(_W4), "label_smoothing": 0.1}),
        ("(2,4,3)-probs", (2, 4, 3), probabilities((2, 4, 3), 1), {}),
    ]:
        kwargs = {k: v.value if isinstance(v, Raw) else v for k, v in kw.items()}
        add_fn_case("nn.functional.cross_entropy", f"{label}-{reduction}", F.cross_entropy,
                    real(shape, -2, 2), target, kwargs={**kwargs, "reduction": reduction})
        if "probs" not in label and "smooth" not in label:
            add_fn_case("nn.functional.nll_loss", f"{label}-{reduction}", F.nll_loss,
                        real(shape, -3, 0), target, kwargs={**kwargs, "reduction": reduction})

for reduction in ("mean", "sum", "none"):
    r = {"reduction": reduction}
    x, y = real((3, 4)), real((3, 4))
    add_fn_case("nn.functional.mse_loss", reduction, F.mse_loss, x, y, kwargs=r)
    add_fn_case("nn.functional.mse_loss", f"{reduction}-weight", F.mse_loss, x, y,
                kwargs={**r, "weight": positive((3, 4))})
    d = avoiding((3, 4), [0.0])
    add_fn_case("nn.functional.l1_loss", reduction, F.l1_loss, y + d, y, kwargs=r)
    add_fn_case("nn.functional.l1_loss", f"{reduction}-weight", F.l1_loss, y + d, y,
                kwargs={**r, "weight": positive((3, 4))})
    d = avoiding((3, 4), [-0.5, 0.0, 0.5], -2, 2)
    add_fn_case("nn.functional.smooth_l1_loss", reduction, F.smooth_l1_loss, y + d, y,
                kwargs={**r, "beta": 0.5})
    add_fn_case("nn.functional.huber_loss", reduction, F.huber_loss, y + d, y,
                kwargs={**r, "delta": 0.5})
    p, t = real((3, 4), 0.1, 0.9), real((3, 4), 0, 1)
    add_fn_case("nn.functional.binary_cross_entropy", reduction, F.binary_cross_entropy, p, t,
                kwargs=r)
    add_fn_case("nn.functional.binary_cross_entropy", f"{reduction}-weight",
                F.binary_cross_entropy, p, t, kwargs={**r, "weight": positive((3, 4))})
    z = avoiding((3, 4), [0.0], -3, 3)
    add_fn_case("nn.functional.binary_cross_entropy_with_logits", reduction,
                F.binary_cross_entropy_with_logits, z, t, kwargs=r)
    add_fn_case("nn.functional.binary_cross_entropy_with_logits", f"{reduction}-pos_weight",
                F.binary_cross_entropy_with_logits, z, t,
                kwargs={**r, "pos_weight": positive((4,)), "weight": positive((3, 4))})
    add_fn_case("nn.functional.poisson_nll_loss", reduction, F.poisson_nll_loss, real((3, 4)),
                positive((3, 4)) * 2, kwargs=r)
    add_fn_case("nn.functional.poisson_nll_loss", f"{reduction}-rate-full",
                F.poisson_nll_loss, positive((3, 4)), positive((3, 4)) * 2,
                kwargs={**r, "log_input": False, "full": True})
    m = avoiding((5,), [0.0], -2, 2)
    a = real((5,))
    add_fn_case("nn.functional.margin_ranking_loss", reduction, F.margin_ranking_loss,
                a, a - m + 0.3, np.sign(real((5,))), kwargs={**r, "margin": 0.3})
    add_fn_case("nn.functional.hinge_embedding_loss", reduction, F.hinge_embedding_loss,
                avoiding((6,), [1.0], -2, 2), np.array([1.0, -1, 1, -1, -1, 1]), kwargs=r)
for reduction in ("mean", "sum", "none", "batchmean"):
    add_fn_case("nn.functional.kl_div", reduction, F.kl_div, real((3, 4), -2, 0),
                probabilities((3, 4)), kwargs={"reduction": reduction})
    add_fn_case("nn.functional.kl_div", f"{reduction}-log_target", F.kl_div,
                real((3, 4), -2, 0), real((3, 4), -2, 0),
                kwargs={"reduction": reduction, "log_target": True})

add_fn_case("nn.functional.cosine_similarity", "(3,4)-dim=1", F.cosine_similarity,
            real((3, 4)), real((3, 4)))
add_fn_case("nn.functional.cosine_similarity", "(3,4)-(4,)-dim=-1", F.cosine_similarity,
            real((3, 4)), real((4,)), kwargs={"dim": -1})
for p in (2.0, 1.0, 3.0):
    add_fn_case("nn.functional.pairwise_distance", f"(3,4)-p={p}", F.pairwise_distance,
                real((3, 4)), real((3, 4)) + 2.5, kwargs={"p": p})
    add_fn_case("nn.functional.normalize", f"(3,4)-p={p}", F.normalize,
                real((3, 4), 0.3, 1.5) * np.sign(real((3, 4))), kwargs={"p": p})
add_fn_case("nn.functional.pairwise_distance", "(3,4)-keepdim", F.pairwise_distance,
            real((3, 4)), real((4,)) + 2.5, kwargs={"keepdim": True})
add_fn_case("nn.functional.normalize", "(2,3,4)-dim=-1", F.normalize, real((2, 3, 4), 0.3, 1.5),
            kwargs={"dim": -1})

add_fn_case("nn.functional.linear", "(3,4)@(5,4)+b", F.linear, real((3, 4)), real((5, 4)),
            real((5,)))
add_fn_case("nn.functional.linear", "(2,3,4)@(5,4)", F.linear, real((2, 3, 4)), real((5, 4)))
add_fn_case("nn.functional.linear", "(4,)@(5,4)+b", F.linear, real((4,)), real((5, 4)),
            real((5,)))
add_fn_case("nn.functional.bilinear", "(3,2)(3,4)->5", F.bilinear, real((3, 2)), real((3, 4)),
            real((5, 2, 4)), real((5,)))

add_fn_case("nn.functional.layer_norm", "(3,4)-(4,)", F.layer_norm, real((3, 4)), (4,),
            real((4,)), real((4,)))
add_fn_case("nn.functional.layer_norm", "(2,3,4)-(3,4)", F.layer_norm, real((2, 3, 4)), (3, 4))
add_fn_case("nn.functional.rms_norm", "(3,4)-(4,)", F.rms_norm, real((3, 4)), (4,), real((4,)))
add_fn_case("nn.functional.rms_norm", "(2,3,4)-(3,4)-eps", F.rms_norm, real((2, 3, 4)), (3, 4),
            kwargs={"eps": 1e-3})
add_fn_case("nn.functional.batch_norm", "(4,3)-train", F.batch_norm, real((4, 3)),
            Raw(wg.zeros(3, dtype=wg.float64)), Raw(wg.ones(3, dtype=wg.float64)), real((3,)),
            real((3,)), kwargs={"training": True})
add_fn_case("nn.functional.batch_norm", "(2,3,4)-train-nostats", F.batch_norm,
            real((2, 3, 4)), Raw(None), Raw(None), kwargs={"training": True})
add_fn_case("nn.functional.batch_norm", "(2,3,4)-eval", F.batch_norm, real((2, 3, 4)),
            Raw(wg.tensor(real((3,)))), Raw(wg.tensor(positive((3,)))), real((3,)), real((3,)))
add_fn_case("nn.functional.instance_norm", "(2,3,4)", F.instance_norm, real((2, 3, 4)),
            kwargs={"weight": positive((3,)), "bias": real((3,))})
add_fn_case("nn.functional.group_norm", "(2,4,3)-G=2", F.group_norm, real((2, 4, 3)), 2,
            real((4,)), real((4,)))
add_fn_case("nn.functional.group_norm", "(2,4)-G=1", F.group_norm, real((2, 4)), 1)

_IDX = np.array([[0, 2, 3], [3, 0, 0]])
add_fn_case("nn.functional.embedding", "(2,3)-rows=4", F.embedding, _IDX, real((4, 3)))
# (padding_idx deliberately disagrees with finite differences: that row gets no gradient;
# tests/test_reference_nn_functional.py checks it against PyTorch.)


def _seeded(fn):
    def f(*args, **kwargs):
        wg.manual_seed(7)  # the same mask on every evaluation of the finite differences
        return fn(*args, **kwargs)

    return f


add_fn_case("nn.functional.dropout", "(3,4)-p=0.3", _seeded(F.dropout), real((3, 4)),
            kwargs={"p": 0.3})
add_fn_case("nn.functional.dropout", "(3,4)-eval", F.dropout, real((3, 4)),
            kwargs={"training": False})
add_fn_case("nn.functional.alpha_dropout", "(3,4)-p=0.3", _seeded(F.alpha_dropout),
            real((3, 4)), kwargs={"p": 0.3, "training": True})

_Q, _K, _V = real((2, 3, 4)), real((2, 5, 4)), real((2, 5, 3))
_SDPA = F.scaled_dot_product_attention
add_fn_case("nn.functional.scaled_dot_product_attention", "plain", _SDPA, _Q, _K, _V)
add_fn_case("nn.functional.scaled_dot_product_attention", "causal-scale", _SDPA, _Q, _K, _V,
            kwargs={"is_causal": True, "scale": 0.7})
add_fn_case("nn.functional.scaled_dot_product_attention", "bool-mask", _SDPA, _Q, _K, _V,
            kwargs={"attn_mask": np.array([True, False, True, True, False])})
add_fn_case("nn.functional.scaled_dot_product_attention", "float-mask", _SDPA, _Q, _K, _V,
            Raw(wg.tensor(real((3, 5)))))
add_fn_case("nn.functional.scaled_dot_product_attention", "dropout",
            _seeded(_SDPA), _Q, _K, _V, kwargs={"dropout_p": 0.3})
add_fn_case("nn.functional.scaled_dot_product_attention", "gqa", _SDPA, real((1, 4, 2, 3)),
            real((1, 2, 3, 3)), real((1, 2, 3, 2)), kwargs={"enable_gqa": True})

"""wengert.tools.to_dot: the computational graph as Graphviz DOT text."""

import re

import pytest

import wengert as wg


def test_seed004_graph_has_every_op_and_edge():
    w, x, y = (wg.tensor(v, dtype=wg.float64, requires_grad=True) for v in (1.0, 2.0, 3.0))
    f = (w * x - y) ** 2
    f.backward(retain_graph=True)  # backward frees the graph unless told to keep it
    dot = wg.tools.to_dot(f)
    assert dot.startswith("digraph wengert {") and dot.rstrip().endswith("}")
    boxes = re.findall(r'\[shape=box, label="(\w+)', dot)
    assert sorted(boxes) == ["mul", "pow", "sub"]
    assert len(re.findall(r"shape=ellipse", dot)) == 3  # w, x, y
    assert len(re.findall(r" -> ", dot)) == 5  # w,x -> mul; mul,y -> sub; sub -> pow
    assert "grad -4.0" in dot and "grad -2.0" in dot and "grad 2.0" in dot
    assert "= 1.0" in dot  # the output's value
    plain = wg.tools.to_dot(f, show_values=False, show_grads=False)
    assert "grad" not in plain and "= 1.0" not in plain


def test_deep_graph_and_bad_input():
    x = wg.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(5000):
        y = wg.sin(y)
    assert wg.tools.to_dot(y).count("shape=box") == 5000
    with pytest.raises(TypeError, match="Tensor"):
        wg.tools.to_dot(3.0)

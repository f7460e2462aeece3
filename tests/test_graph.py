"""wengert.tools.to_dot: the computational graph as Graphviz DOT text."""

import re
import shutil
import xml.etree.ElementTree as ET

import numpy as np
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
    assert wg.tools.to_dot(y, max_nodes=10_000).count("shape=box") == 5000
    with pytest.raises(TypeError, match="Tensor"):
        wg.tools.to_dot(3.0)


def mlp_like_graph(steps):
    """A loop of ``steps`` iterations, eleven primitives each, on shared weights."""
    w = wg.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
    h = wg.tensor(np.ones((2, 3)), requires_grad=True)
    for _ in range(steps):
        z = wg.tanh(h @ w)[:, :3] * 0.5 + h
        h = wg.sigmoid(z) - wg.exp(-z * z) / 2
    return h.sum()


def test_big_graph_is_grouped_into_a_readable_picture():
    y = mlp_like_graph(1000)  # 11,001 operations
    dot = wg.tools.to_dot(y)
    boxes = re.findall(r'shape=box, label="(\w+) x(\d+)', dot)
    assert 10 <= len(boxes) <= 200
    assert sum(int(n) for _, n in boxes) == 11_001  # every operation is in one group
    assert {name for name, _ in boxes} >= {"matmul", "tanh", "getitem", "sigmoid", "exp", "sum"}
    # edges between groups say how many edges they stand for
    assert re.search(r'-> g\d+ \[label="\d+"\]', dot)


def test_render_writes_dot_and_refuses_bad_paths(tmp_path, monkeypatch):
    x = wg.tensor(2.0, requires_grad=True)
    path = wg.tools.render(x * x, tmp_path / "g.dot")
    assert path.read_text().startswith("digraph wengert {")
    with pytest.raises(ValueError, match=r"\.dot, \.svg, \.png or \.pdf"):
        wg.tools.render(x * x, tmp_path / "g.jpg")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        wg.tools.render(x * x, tmp_path / "g.svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot"]  # nothing half-written


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_render_svg_of_a_10000_node_graph_is_wellformed(tmp_path):
    path = wg.tools.render(mlp_like_graph(1000), tmp_path / "big.svg")
    root = ET.parse(path).getroot()
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "matmul x" in texts and "sigmoid x" in texts


def test_tape_names_every_box_as_the_wengert_list_with_value_and_adjoint():
    x1, x2 = (wg.tensor(v, dtype=wg.float64, requires_grad=True) for v in (2.0, 5.0))
    with wg.tools.recording() as tape:
        y = wg.log(x1) + x1 * x2 - wg.sin(x2)
    dot = wg.tools.to_dot(y, tape=tape)
    for expected in ("v1 = log(v-1)\\n0.6931471805599453\\nv̄1 = 1.0",
                     "v4 = sin(v0)\\n-0.9589242746631385\\nv̄4 = -1.0",
                     "v5 = v3 - v4\\n11.652071455223084\\nv̄5 = 1.0",
                     'shape=ellipse, label="v-1\\n2.0"'):
        assert expected in dot
    y.backward()  # drawing kept the graph
    assert x2.grad.item() == 1.7163378145367738
    assert "v̄" not in wg.tools.to_dot(y, tape=tape, show_grads=False)

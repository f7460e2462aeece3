"""wengert.tools.trace: the seeds' Tables 2 and 3, from the tape itself."""

import numpy as np
import pytest

import wengert as wg
from wengert.tools import trace


def seed_f(x1, x2):
    return wg.log(x1) + x1 * x2 - wg.sin(x2)


def test_seed_tables_forward_and_reverse():
    t = trace(seed_f, 2.0, 5.0)
    assert [ln.expression for ln in t.evaluation[2:]] == [
        "log(v-1)", "v-1 * v0", "v1 + v2", "sin(v0)", "v3 - v4"]
    tangents = {ln.name: float(ln.value) for ln in t.tangents}
    assert tangents["v̇1"] == 0.5 and tangents["v̇2"] == 5.0 and tangents["v̇5"] == 5.5
    adjoint_lines = [(ln.name, ln.expression, float(ln.value)) for ln in t.adjoints]
    assert adjoint_lines[0] == ("v̄5", "seed", 1.0)
    assert ("v̄4", "v̄5·∂v5/∂v4", -1.0) in adjoint_lines
    # reused values: the second path is added to the first
    assert adjoint_lines[-2] == ("v̄0", "v̄0 + v̄2·∂v2/∂v0", 1.7163378145367738)
    assert adjoint_lines[-1] == ("v̄-1", "v̄-1 + v̄1·∂v1/∂v-1", 5.5)
    other = trace(seed_f, 2.0, 5.0, direction=(0.0, 1.0))
    assert float(other.tangents[-1].value) == 1.7163378145367738


def test_arrays_rendering_and_summaries():
    t = trace(lambda a: (a * a).sum(), np.array([1.0, 2.0]))
    np.testing.assert_array_equal(t.adjoints[-1].value, [2.0, 4.0])  # 2a, summed over both uses
    text = t.render()
    assert "Evaluation trace:" in text and "v̄0 = v̄0 + v̄1·∂v1/∂v0" in text
    assert t.render("markdown").count("| --- |") == 0 and "|---|---|---:|" in t.render("markdown")

    def long(x):
        for _ in range(100):
            x = wg.sin(x)
        return x

    rendered = trace(long, 0.5).render(max_lines=20)
    assert "  ..." in rendered and len(rendered.splitlines()) < 80


def test_bad_calls():
    with pytest.raises(ValueError, match="2 directions for 1 inputs"):
        trace(wg.sin, 1.0, direction=(1.0, 0.0))
    with pytest.raises(TypeError, match="not a Tensor"):
        trace(lambda x: 3.0, 1.0)
    with pytest.raises(ValueError, match="fmt"):
        trace(wg.sin, 1.0).render("html")


def test_context_manager_form_matches_the_function_form():
    """Any tensor code inside ``recording()`` gives the same tables as ``trace(f, ...)``."""
    x1 = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
    x2 = wg.tensor(5.0, dtype=wg.float64, requires_grad=True)
    with wg.tools.recording() as tape:
        y = wg.log(x1) + x1 * x2 - wg.sin(x2)
    from_block = tape.trace(y)  # inputs found on the tape: x1 then x2
    from_function = wg.tools.trace(lambda a, b: wg.log(a) + a * b - wg.sin(b), 2.0, 5.0)
    assert from_block.render() == from_function.render()
    y.backward()  # the graph is still there after the tables were made
    assert x1.grad.item() == 5.5


def test_context_manager_form_errors():
    x = wg.tensor(1.0, requires_grad=True)
    with wg.tools.recording() as tape:
        pass
    with pytest.raises(ValueError, match="nothing was recorded"):
        tape.trace(x)
    with wg.tools.recording() as tape:
        y = x * 2
    with pytest.raises(TypeError, match="must be a Tensor"):
        tape.trace(3.0)
    with pytest.raises(ValueError, match="2 directions for 1 inputs"):
        tape.trace(y, direction=(1.0, 0.0))

"""docs/ops.md is the output of `wengert ops --format markdown`, and the op set is complete."""

import pathlib

from wengert.ops._registry import NOT_DIFFERENTIABLE, public_functions
from wengert.tools.ops_table import operator_rows, render

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_docs_ops_md_is_generated_from_the_registry():
    assert (ROOT / "docs/ops.md").read_text() == render("markdown"), (
        "docs/ops.md is stale: regenerate it with "
        "`wengert ops --format markdown > docs/ops.md`")


def test_at_least_250_distinct_differentiable_public_functions():
    functions = public_functions()
    distinct = {id(fn) for fn in functions.values() if fn not in NOT_DIFFERENTIABLE}
    assert len(distinct) >= 250, len(distinct)
    assert sum(r.reverse for r in operator_rows()) == len(distinct)

"""The README's examples run and their assertions hold."""

import contextlib
import html
import io
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example(code):
    exec(compile(code, "README.md", "exec"), {})


def test_readme_trace_table_is_the_commands_output():
    from wengert.cli import main

    shown = re.search(r"```text\n\$ wengert trace\n(.*?)```", README, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["trace"]) == 0
    assert out.getvalue() == shown


def test_readme_graph_picture_is_committed():
    image = re.search(r"!\[[^]]*\]\((docs/[\w.-]+\.svg)\)", README).group(1)
    svg = (ROOT / image).read_text()
    assert svg.lstrip().startswith("<?xml") and "v5 = v3 - v4" in html.unescape(svg)

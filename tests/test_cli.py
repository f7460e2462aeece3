"""The ``wengert`` command: the main job of the README."""

import subprocess
import sys

import pytest

from wengert.cli import main


def test_default_run_walks_the_seed_example(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "dy/dx1 = 5.5" in out
    assert "dy/dx2 = 1.7163378145367738" in out
    assert "y-dot = dy/dx1 = 5.5" in out
    for line in ("v1 = log(v-1)", "v2 = v-1 * v0", "v3 = v1 + v2", "v4 = sin(v0)",
                 "v5 = v3 - v4"):
        assert line in out
    assert "= 11.652071455223084" in out  # the forward trace ends at f(2, 5)
    assert "v̄-1 = v̄-1 + v̄1·∂v1/∂v-1 = 5.5" in out  # the seeds' Table 3, last line


def test_another_point(capsys):
    assert main(["--at", "1", "0"]) == 0
    out = capsys.readouterr().out
    assert "dy/dx1 = 1.0" in out  # 1/x1 + x2
    assert "dy/dx2 = 0.0" in out  # x1 - cos(x2)


def test_usage_error_exits_with_2():
    proc = subprocess.run([sys.executable, "-m", "wengert.cli", "--at", "0", "1"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "x1 must be positive" in proc.stderr


def test_console_script_is_installed():
    proc = subprocess.run([sys.executable, "-m", "wengert.cli", "--help"], capture_output=True,
                          text=True)
    assert proc.returncode == 0 and "--at" in proc.stdout


def test_non_finite_point_is_a_usage_error():
    proc = subprocess.run([sys.executable, "-m", "wengert.cli", "--at", "nan", "5"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "finite" in proc.stderr


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "wengert.cli", *args], capture_output=True,
                          text=True)


def test_trace_subcommand_defaults_to_the_seed_example(capsys):
    assert main(["trace"]) == 0
    out = capsys.readouterr().out
    assert "v̇5 = ∂v5/∂v3·v̇3 + ∂v5/∂v4·v̇4   = 5.5" in out
    assert "v̄0 = v̄0 + v̄2·∂v2/∂v0   = 1.7163378145367738" in out


def test_trace_of_an_expression_in_markdown(capsys):
    assert main(["trace", "x*x + sin(x)", "--at", "x=1", "--mode", "reverse",
                 "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "**Reverse adjoint trace" in out and "Forward tangent" not in out
    assert "| v̄0 | v̄0 + v̄1·∂v1/∂v0 | 2.5403023058681398 |" in out  # 2x + cos(x) at 1


def test_trace_with_respect_to_another_variable(capsys):
    assert main(["trace", "x1*x2", "--at", "x1=3", "x2=4", "--wrt", "x2",
                 "--mode", "forward"]) == 0
    assert "v̇1 = ∂v1/∂v-1·v̇-1 + ∂v1/∂v0·v̇0 = 3.0" in capsys.readouterr().out


def test_grad_and_hessian(capsys):
    assert main(["grad", "x1*x2 + x1**2", "--at", "x1=3", "x2=2", "--hessian"]) == 0
    out = capsys.readouterr().out
    assert "d/dx1 = 8.0" in out and "d/dx2 = 3.0" in out
    assert "x1:  2   1" in out and "x2:  1   0" in out


def test_ops_lists_every_primitive(capsys):
    from wengert._primitive import REGISTRY

    assert main(["ops", "--primitives"]) == 0
    out = capsys.readouterr().out
    for name in REGISTRY:
        assert f"\n{name} " in out
    assert "argmax" in out and "not differentiable" in out


def test_expression_errors_point_at_the_token():
    proc = run_cli("trace", "(x1 + 1) @ x2", "--at", "x1=1", "x2=2")
    assert proc.returncode == 2
    assert "operator MatMult" in proc.stderr and "\n           ^" in proc.stderr
    proc = run_cli("grad", "__import__('os').system('true')", "--at", "x=1")
    assert proc.returncode == 2 and "not allowed here" in proc.stderr


def test_missing_and_unknown_values_are_usage_errors():
    proc = run_cli("grad", "x + y", "--at", "x=1")
    assert proc.returncode == 2 and "missing y" in proc.stderr
    proc = run_cli("grad", "x", "--at", "x=1", "z=2")
    assert proc.returncode == 2 and "unknown z" in proc.stderr
    proc = run_cli("grad", "x", "--at", "x:1")
    assert proc.returncode == 2 and "NAME=VALUE" in proc.stderr


def test_every_subcommand_has_help():
    import argparse

    from wengert.cli import build_parser

    (commands,) = [a for a in build_parser()._actions
                   if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) >= {"trace", "grad", "graph", "ops", "check", "train"}
    for command in commands.choices:
        proc = run_cli(command, "--help")
        assert proc.returncode == 0 and f"usage: wengert {command}" in proc.stdout


def test_graph_writes_dot(tmp_path, capsys):
    path = tmp_path / "g.dot"
    assert main(["graph", "x1*x2 + sin(x1)", "--at", "x1=1", "x2=2", "-o", str(path)]) == 0
    dot = path.read_text()
    assert dot.startswith("digraph wengert {") and dot.count("shape=box") == 3
    assert "grad 2.5403023058681398" in dot  # x2 + cos(x1) at x1=1, x2=2


def test_graph_renders_svg_with_graphviz(tmp_path):
    import shutil

    import pytest

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (.ci/run installs it)")
    path = tmp_path / "g.svg"
    proc = run_cli("graph", "x*x", "--at", "x=3", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "<svg" in path.read_text()


def test_graph_rejects_other_formats(tmp_path):
    proc = run_cli("graph", "x", "--at", "x=1", "-o", str(tmp_path / "g.jpg"))
    assert proc.returncode == 2 and ".dot, .svg, .png or .pdf" in proc.stderr


def test_colors_only_on_a_terminal_or_when_asked():
    plain = run_cli("trace")
    assert plain.returncode == 0 and "\033[" not in plain.stdout  # a pipe is not a terminal
    colored = run_cli("--color", "always", "trace")
    assert "\033[1mEvaluation trace:\033[0m" in colored.stdout
    assert colored.stdout.replace("\033[1m", "").replace("\033[0m", "") == plain.stdout
    bad = run_cli("--color", "always", "grad", "x +", "--at", "x=1")
    assert bad.returncode == 2 and bad.stderr.startswith("\033[1;31mwengert: error:")
    assert "\033[" not in run_cli("--color", "never", "grad", "x +", "--at", "x=1").stderr


HOSTILE = [
    "__import__('os').system('touch {marker}')",  # a call outside the whitelist
    "().__class__.__bases__[0].__subclasses__()",  # attribute access
    "x[0]", "(lambda: 0)()", "[x for x in (1, 2)]", "{{x: 1}}", "open('{marker}', 'w')",
    "exit(1)", "9**9**9", "2**(10**10)", "x**1e308", "x ** -(9**9)", "1" * 400 + ".0 ** 2",
    "(" * 10_000 + "x" + ")" * 10_000,  # deep nesting
    "x" + "-" * 5_000 + "x", "sin(" * 300 + "x" + ")" * 300, "1" * 5000,
]


@pytest.mark.parametrize("template", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_expressions_are_refused_quickly_and_harmlessly(template, tmp_path):
    marker = tmp_path / "pwned"
    expr = template.format(marker=marker)
    proc = subprocess.run([sys.executable, "-m", "wengert.cli", "grad", expr, "--at", "x=1"],
                          capture_output=True, text=True, timeout=20)  # a guard, not a timing
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and "wengert: error:" in proc.stderr
    assert len(proc.stderr) < 2000  # the message quotes at most a bit of the input
    assert not marker.exists()


def test_a_one_megabyte_expression_is_refused(capsys):
    assert main(["grad", "x+" * 350_000 + "x", "--at", "x=1"]) == 2  # argv cannot carry 1 MB
    err = capsys.readouterr().err
    assert "expression too long: 700001 characters" in err and len(err) < 500


def test_ops_lists_every_public_function_with_its_support(capsys):
    from wengert.ops._registry import public_functions

    assert main(["ops"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0] for line in out.splitlines() if line.strip()}
    functions = public_functions()
    # each function appears under its first name; aliases are listed on its row
    assert all(name in rows or name in out for name in functions)
    assert "linalg.inv" in rows and "nn.functional.cross_entropy" in rows
    assert "public operator functions" in out


def test_check_gradient_checks_primitives_and_catches_a_wrong_rule(capsys, monkeypatch):
    assert main(["check", "--quick", "sin", "matmul", "cumprod"]) == 0
    out = capsys.readouterr().out
    assert "3 primitives" in out and "all derivatives agree" in out
    from wengert._primitive import REGISTRY

    sin = REGISTRY["sin"]
    monkeypatch.setattr(sin, "rule", (lambda ns, out, x: 2 * ns.cos(x),))  # deliberately wrong
    assert main(["check", "--quick", "--first-order", "sin"]) == 1
    out = capsys.readouterr().out
    assert "1 primitives FAILED" in out and "gradcheck failed in reverse mode" in out


def test_check_rejects_unknown_primitives():
    proc = run_cli("check", "no_such_op")
    assert proc.returncode == 2 and "no cases for no_such_op" in proc.stderr

"""The ``wengert`` command: the main job of the README."""

import subprocess
import sys

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

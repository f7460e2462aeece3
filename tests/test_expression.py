"""Command-line expressions: a whitelist over Python's ast, never eval."""

import math

import pytest

import wengert as wg
from wengert.tools.expression import ExpressionError, parse


def test_parse_and_differentiate():
    f = parse("ln(x1) + x1*x2 - sin(x2)")
    assert f.variables == ("x1", "x2")
    x1 = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
    x2 = wg.tensor(5.0, dtype=wg.float64, requires_grad=True)
    dx1, dx2 = wg.grad(f(x1, x2), [x1, x2])
    assert (dx1.item(), dx2.item()) == (5.5, 1.7163378145367738)


def test_constants_unary_minus_and_powers():
    f = parse("-x**2 + pi*e - 2/x + +x")
    assert f.variables == ("x",)
    assert float(f(2.0)) == pytest.approx(-4 + math.pi * math.e - 1 + 2)


@pytest.mark.parametrize("text, column, reason", [
    ("x @ y", 2, "MatMult"), ("foo(x)", 0, "unknown function"), ("sin", 0, "call it"),
    ("sin(x, y)", 0, "exactly one argument"), ("x[0]", 0, "Subscript"),
    ("lambda: 0", 0, "Lambda"), ("x.y", 0, "Attribute"),
    ("'a'", 0, "Constant"), ("sin(x=1)", 0, "Call"),
])
def test_rejected_constructs_point_at_the_token(text, column, reason):
    with pytest.raises(ExpressionError, match=reason) as info:
        parse(text)
    assert info.value.column == column
    assert str(info.value).endswith("\n  " + " " * column + "^")


def test_wrong_number_of_values():
    with pytest.raises(TypeError, match="takes 2 values"):
        parse("x + y")(1.0)


def test_syntax_errors_are_reported():
    with pytest.raises(ExpressionError, match="syntax error"):
        parse("1 +")

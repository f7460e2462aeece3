"""Expressions typed on the command line, parsed safely into differentiable functions.

Python's ``ast`` parses the text; only a whitelist survives: numbers, variable
names, ``+ - * / **``, unary minus, calls of a few math functions and the
constants ``pi`` and ``e``. Nothing is ever passed to ``eval``. A rejected
token is reported with a caret under it.

>>> from wengert.tools.expression import parse
>>> f = parse("ln(x1) + x1*x2 - sin(x2)")
>>> f.variables
('x1', 'x2')
>>> round(float(f(2.0, 5.0)), 4)   # Python floats become float32 tensors
11.6521
"""

from __future__ import annotations

import ast
import math

from ..ops import elementwise as ew

FUNCTIONS = {
    "sin": ew.sin, "cos": ew.cos, "tan": ew.tan, "exp": ew.exp, "log": ew.log, "ln": ew.log,
    "sqrt": ew.sqrt, "tanh": ew.tanh, "sigmoid": ew.sigmoid, "abs": ew.abs, "relu": ew.relu,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
# Limits that keep hostile input cheap to refuse: the text is read once, the tree
# is walked to a bounded depth, and no constant power can run away.
MAX_LENGTH = 10_000
MAX_DEPTH = 200
MAX_EXPONENT = 1024.0
_BINARY = {ast.Add: ew.add, ast.Sub: ew.sub, ast.Mult: ew.mul, ast.Div: ew.div,
           ast.Pow: ew.pow}


class ExpressionError(ValueError):
    """A syntax error or a construct outside the whitelist, with a caret under it."""

    WINDOW = 72  # characters of the text shown around the offending token

    def __init__(self, text: str, column: int, reason: str):
        start = max(0, min(column - self.WINDOW // 2, len(text) - self.WINDOW))
        shown = text[start:start + self.WINDOW]
        prefix = "..." if start else ""
        suffix = "..." if start + self.WINDOW < len(text) else ""
        caret = " " * (len(prefix) + column - start) + "^"
        super().__init__(f"{reason[:200]}\n  {prefix}{shown}{suffix}\n  {caret}")
        self.column = column


class Expression:
    """A parsed expression: call it with one value (number or tensor) per variable."""

    def __init__(self, text: str, tree: ast.expr, variables: tuple[str, ...]):
        self.text, self._tree, self.variables = text, tree, variables

    def __call__(self, *values):
        if len(values) != len(self.variables):
            raise TypeError(f"{self.text!r} takes {len(self.variables)} values "
                            f"({', '.join(self.variables)}), got {len(values)}")
        return _evaluate(self._tree, dict(zip(self.variables, values)))

    def __repr__(self):
        return f"Expression({self.text!r})"


def parse(text: str) -> Expression:
    """Parse ``text`` into an ``Expression``; raises ``ExpressionError``.

    Refused besides what is outside the whitelist: more than ``MAX_LENGTH``
    characters, nesting deeper than ``MAX_DEPTH``, numbers beyond float range
    and constant exponents beyond ``MAX_EXPONENT`` (``9**9**9``).
    """
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text, 0, f"expression too long: {len(text)} "
                              f"characters (at most {MAX_LENGTH})")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as e:
        raise ExpressionError(text, max((e.offset or 1) - 1, 0),
                              f"syntax error: {e.msg}") from None
    except (ValueError, RecursionError, MemoryError) as e:  # e.g. a 5,000-digit literal
        raise ExpressionError(text, 0, f"cannot be parsed: {e}") from None
    variables: list[str] = []
    _check(tree, text, variables, 0)
    return Expression(text, tree, tuple(variables))


def _check(node: ast.AST, text: str, variables: list[str], depth: int) -> None:
    """Reject anything outside the whitelist; collect variable names in order."""
    if depth > MAX_DEPTH:
        raise ExpressionError(text, getattr(node, "col_offset", 0),
                              f"nested more than {MAX_DEPTH} levels deep")
    depth += 1
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if not abs(node.value) <= 1.7976931348623157e308:  # float("nan") cannot be typed
            raise ExpressionError(text, node.col_offset, "number too large for a float")
        return
    if isinstance(node, ast.Name):
        if node.id not in CONSTANTS and node.id not in FUNCTIONS and node.id not in variables:
            variables.append(node.id)
        if node.id in FUNCTIONS:
            raise ExpressionError(text, node.col_offset,
                                  f"'{node.id}' is a function: call it, as {node.id}(x)")
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check(node.left, text, variables, depth)
        _check(node.right, text, variables, depth)
        if isinstance(node.op, ast.Pow):
            exponent = _constant(node.right)
            if exponent is not None and not abs(exponent) <= MAX_EXPONENT:
                raise ExpressionError(text, node.right.col_offset,
                                      f"runaway power: the exponent is {exponent:.6g} "
                                      f"(at most {MAX_EXPONENT:g} in magnitude)")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, text, variables, depth)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id not in FUNCTIONS:
            raise ExpressionError(text, node.col_offset,
                                  f"unknown function '{node.func.id}' (known: "
                                  f"{', '.join(sorted(FUNCTIONS))})")
        if len(node.args) != 1:
            raise ExpressionError(text, node.col_offset,
                                  f"{node.func.id}() takes exactly one argument")
        _check(node.args[0], text, variables, depth)
        return
    column = getattr(node, "col_offset", 0)
    what = type(node).__name__
    if isinstance(node, ast.BinOp):  # point at the operator, not at the left operand
        column = node.left.end_col_offset
        while column < len(text) and text[column] in " )":
            column += 1
        what = f"the operator {type(node.op).__name__}"
    raise ExpressionError(text, column, f"not allowed here: {what} (use numbers, variables, "
                                        "+ - * / **, and calls like sin(x))")


def _constant(node: ast.AST) -> float | None:
    """The value of a subtree made only of numbers and constants (``inf`` if it
    overflows), or None if it has a variable or a function call."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return CONSTANTS.get(node.id)
    if isinstance(node, ast.UnaryOp):
        value = _constant(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp):
        left, right = _constant(node.left), _constant(node.right)
        if left is None or right is None:
            return None
        try:
            if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
                return math.inf  # never compute it: 9**9**9 is refused, not evaluated
            return {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__,
                    ast.Div: float.__truediv__, ast.Pow: math.pow}[type(node.op)](left, right)
        except (OverflowError, ZeroDivisionError, ValueError):
            return math.inf
    return None


def _evaluate(node: ast.AST, values: dict):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return CONSTANTS[node.id] if node.id in CONSTANTS else values[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    return FUNCTIONS[node.func.id](_evaluate(node.args[0], values))

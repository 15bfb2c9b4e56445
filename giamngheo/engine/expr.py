"""A tiny, safe expression language for deprivation rules, compiled both to Python and to Polars.

Rules in the standards' data files are written as Python-like expressions over named facts, for example
``age >= min_age and not has_health_insurance``. The same parsed expression is compiled twice: to a Python closure
that evaluates one household or member (the explainable path), and to a Polars expression that evaluates millions
at once (the batch path). Having a single definition is what lets the test suite prove that both paths agree.

Only a whitelist of syntax is accepted: names (facts or the rule's parameters), constants, lists/tuples of
constants, ``and``/``or``/``not``, comparisons (``== != < <= > >= in not in``), ``+ - * /`` and ``count(...)``,
which counts how many of its boolean arguments are true. Anything else is rejected when the standard is loaded.
Expressions are evaluated only when every fact they reference is recorded (not null), so no three-valued logic is
needed and the two compilations cannot diverge on missing data.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl


class RuleSyntaxError(ValueError):
    """The expression uses syntax outside the whitelist or refers to an unknown name."""


_COMPARE_PY: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITH_PY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}

PyFn = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Expression:
    """A parsed rule expression with the facts it reads."""

    source: str
    tree: ast.expr
    facts: frozenset[str]
    params: Mapping[str, Any]

    def to_python(self) -> PyFn:
        return _compile_py(self.tree, self.params)

    def to_polars(self) -> pl.Expr:
        return _compile_pl(self.tree, self.params)


def parse(source: str, *, known_facts: frozenset[str], params: Mapping[str, Any]) -> Expression:
    """Parse and validate an expression; unknown names and disallowed syntax raise RuleSyntaxError."""
    try:
        module = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleSyntaxError(f"cannot parse rule {source!r}: {exc.msg}") from exc
    facts: set[str] = set()
    _validate(module.body, known_facts, params, facts, source)
    return Expression(source=source, tree=module.body, facts=frozenset(facts), params=dict(params))


def _validate(
    node: ast.AST, known: frozenset[str], params: Mapping[str, Any], facts: set[str], source: str
) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _validate(value, known, params, facts, source)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        _validate(node.operand, known, params, facts, source)
    elif isinstance(node, ast.Compare):
        if any(type(op) not in _COMPARE_PY for op in node.ops):
            raise RuleSyntaxError(f"unsupported comparison in {source!r}")
        _validate(node.left, known, params, facts, source)
        for comparator in node.comparators:
            _validate(comparator, known, params, facts, source)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITH_PY:
            raise RuleSyntaxError(f"unsupported operator in {source!r}")
        _validate(node.left, known, params, facts, source)
        _validate(node.right, known, params, facts, source)
    elif isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id == "count") or node.keywords:
            raise RuleSyntaxError(f"only count(...) may be called, in {source!r}")
        for arg in node.args:
            _validate(arg, known, params, facts, source)
    elif isinstance(node, ast.Name):
        if node.id in params:
            return
        if node.id not in known:
            raise RuleSyntaxError(f"unknown name {node.id!r} in {source!r}")
        facts.add(node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool):
            raise RuleSyntaxError(f"unsupported constant in {source!r}")
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise RuleSyntaxError(f"lists may hold constants only, in {source!r}")
    else:
        raise RuleSyntaxError(f"unsupported syntax {type(node).__name__} in {source!r}")


def _param(name: str, params: Mapping[str, Any]) -> Any:
    value = params[name]
    return tuple(value) if isinstance(value, list) else value


def _compile_py(node: ast.expr, params: Mapping[str, Any]) -> PyFn:
    if isinstance(node, ast.BoolOp):
        parts = [_compile_py(v, params) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda f: all(p(f) for p in parts)
        return lambda f: any(p(f) for p in parts)
    if isinstance(node, ast.UnaryOp):
        inner = _compile_py(node.operand, params)
        if isinstance(node.op, ast.Not):
            return lambda f: not inner(f)
        return lambda f: -inner(f)
    if isinstance(node, ast.Compare):
        left = _compile_py(node.left, params)
        pairs = [
            (_COMPARE_PY[type(op)], _compile_py(c, params))
            for op, c in zip(node.ops, node.comparators, strict=True)
        ]

        def compare(f: Mapping[str, Any]) -> bool:
            current = left(f)
            for fn, right in pairs:
                value = right(f)
                if not fn(current, value):
                    return False
                current = value
            return True

        return compare
    if isinstance(node, ast.BinOp):
        lhs, rhs = _compile_py(node.left, params), _compile_py(node.right, params)
        fn = _ARITH_PY[type(node.op)]
        return lambda f: fn(lhs(f), rhs(f))
    if isinstance(node, ast.Call):
        args = [_compile_py(a, params) for a in node.args]
        return lambda f: sum(1 for a in args if a(f))
    if isinstance(node, ast.Name):
        name = node.id
        if name in params:
            value = _param(name, params)
            return lambda f: value
        return lambda f: f[name]
    if isinstance(node, ast.Constant):
        constant = node.value
        return lambda f: constant
    if isinstance(node, ast.List | ast.Tuple):
        values = tuple(e.value for e in node.elts if isinstance(e, ast.Constant))
        return lambda f: values
    raise RuleSyntaxError(f"unsupported syntax {type(node).__name__}")


def _literal(node: ast.expr, params: Mapping[str, Any]) -> Any:
    """The Python value of a constant, list literal or parameter (used for `in` on the Polars side)."""
    if isinstance(node, ast.Name) and node.id in params:
        return _param(node.id, params)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant))
    return None


def _compile_pl(node: ast.expr, params: Mapping[str, Any]) -> pl.Expr:
    if isinstance(node, ast.BoolOp):
        parts = [_compile_pl(v, params) for v in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = (combined & part) if isinstance(node.op, ast.And) else (combined | part)
        return combined
    if isinstance(node, ast.UnaryOp):
        inner = _compile_pl(node.operand, params)
        return inner.not_() if isinstance(node.op, ast.Not) else -inner
    if isinstance(node, ast.Compare):
        result: pl.Expr | None = None
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            left = _compile_pl(left_node, params)
            if isinstance(op, ast.In | ast.NotIn):
                values = _literal(right_node, params)
                if not isinstance(values, tuple):
                    raise RuleSyntaxError("the right side of `in` must be a list or a list parameter")
                term = left.is_in(list(values))
                if isinstance(op, ast.NotIn):
                    term = term.not_()
            else:
                right = _compile_pl(right_node, params)
                term = {
                    ast.Eq: left.eq,
                    ast.NotEq: left.ne,
                    ast.Lt: left.lt,
                    ast.LtE: left.le,
                    ast.Gt: left.gt,
                    ast.GtE: left.ge,
                }[type(op)](right)
            result = term if result is None else (result & term)
            left_node = right_node
        assert result is not None
        return result
    if isinstance(node, ast.BinOp):
        lhs = _numeric(_compile_pl(node.left, params))
        rhs = _numeric(_compile_pl(node.right, params))
        if isinstance(node.op, ast.Add):
            return lhs + rhs
        if isinstance(node.op, ast.Sub):
            return lhs - rhs
        if isinstance(node.op, ast.Mult):
            return lhs * rhs
        return lhs / rhs
    if isinstance(node, ast.Call):
        terms = [_compile_pl(a, params).cast(pl.Int32) for a in node.args]
        return pl.sum_horizontal(terms)
    if isinstance(node, ast.Name):
        if node.id in params:
            return pl.lit(_param(node.id, params))
        return pl.col(node.id)
    if isinstance(node, ast.Constant):
        return pl.lit(node.value)
    raise RuleSyntaxError(f"unsupported syntax {type(node).__name__}")


def _numeric(expr: pl.Expr) -> pl.Expr:
    """Arithmetic on facts is done in floating point on both sides, as Python does for `/`."""
    return expr.cast(pl.Float64)

"""A tiny, safe expression language for deprivation rules, compiled both to Python and to Polars.

Rules in the standards' data files are written as Python-like expressions over named facts, for example
``age >= min_age and not has_health_insurance``. The same parsed expression is compiled twice: to a Python closure
that evaluates one household or member (the explainable path), and to a Polars expression that evaluates millions
at once (the batch path). Having a single definition is what lets the test suite prove that both paths agree.

Only a whitelist of syntax is accepted: names (facts or the rule's parameters), constants, lists/tuples of
constants, ``and``/``or``/``not``, comparisons (``== != < <= > >= in not in``), ``+ - * /`` and ``count(...)``,
which counts how many of its boolean arguments are true. Anything else (attribute access, subscripts, lambdas,
calls other than ``count``) is rejected when the standard is loaded, and so is an ill-typed expression (``not age``,
``age + "x"``, ``x in "abc"``): Python and Polars give such expressions different meanings, so they are refused.

A fact that is not recorded is unknown (None in Python, null in Polars), and expressions are evaluated with
three-valued (Kleene) logic on both sides, never guessing: ``True or unknown`` is True, ``False and unknown`` is
False, ``not unknown``, a comparison or arithmetic with an unknown operand, and ``x in [...]`` with x unknown are
unknown. So a rule is decided whenever the recorded facts decide it, and unknown otherwise. ``count(...)``
compared with a number is decided when every possible number of true conditions gives the same answer (two
walls of bamboo and an unknown roof is "at least 2 of 3" already); ``count`` anywhere else is unknown when one
of its conditions is. The two corners where Python and Polars arithmetic differ are pinned to the Polars (IEEE)
meaning on the Python side: ``x / 0`` is ±inf or NaN instead of an exception, and NaN compares equal to NaN and
above every number.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import polars as pl


class RuleSyntaxError(ValueError):
    """The expression uses syntax outside the whitelist, refers to an unknown name or is ill-typed."""


# The kind of value an expression yields. "any" is a fact whose kind the caller did not give.
Kind = Literal["bool", "number", "string", "list_number", "list_string", "any"]

_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
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
_SYNTAX_NAMES_VI: dict[type[ast.AST], str] = {
    ast.Attribute: "truy cập thuộc tính (a.b)",
    ast.Subscript: "lấy phần tử hoặc lát cắt (a[...])",
    ast.Lambda: "hàm lambda",
    ast.IfExp: "biểu thức if ... else",
    ast.Dict: "từ điển",
    ast.Set: "tập hợp",
    ast.ListComp: "list comprehension",
    ast.GeneratorExp: "generator",
    ast.Starred: "dấu * mở rộng",
    ast.JoinedStr: "chuỗi f-string",
    ast.NamedExpr: "phép gán :=",
}

PyFn = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Expression:
    """A parsed rule expression with the facts it reads and the kind of value it yields."""

    source: str
    tree: ast.expr
    facts: frozenset[str]
    params: Mapping[str, Any]
    kind: Kind = field(default="any")

    @cached_property
    def python(self) -> PyFn:
        """The compiled Python closure (compiled once per expression)."""
        return _compile_py(self.tree, self.params)

    def to_python(self) -> PyFn:
        return self.python

    @cached_property
    def polars(self) -> pl.Expr:
        """The compiled Polars expression (Polars expressions are immutable, so one serves every frame)."""
        return _compile_pl(self.tree, self.params)

    def to_polars(self) -> pl.Expr:
        return self.polars


def parse(
    source: str,
    *,
    known_facts: frozenset[str],
    params: Mapping[str, Any],
    fact_kinds: Mapping[str, Kind] | None = None,
) -> Expression:
    """Parse, validate and type-check an expression.

    Unknown names, disallowed syntax, ill-typed operations and bad parameter values raise RuleSyntaxError with a
    Vietnamese message quoting the expression. `fact_kinds` gives the kind of each fact ("bool", "number",
    "string"); facts missing from it are not type-checked.
    """
    try:
        # Parenthesised, so that a rule may span several lines of its data file.
        module = ast.parse(f"(\n{source.strip()}\n)", mode="eval")
    except SyntaxError as exc:
        raise RuleSyntaxError(f"không đọc được biểu thức «{source.strip()}»: {exc.msg}") from exc
    checker = _Checker(source.strip(), known_facts, params, fact_kinds or {})
    checker.check_params()
    kind = checker.check(module.body)
    return Expression(
        source=source, tree=module.body, facts=frozenset(checker.facts), params=dict(params), kind=kind
    )


def _value_kind(value: Any) -> Kind | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "number"
    if isinstance(value, float):
        return "number" if math.isfinite(value) else None
    if isinstance(value, str):
        return "string"
    return None


class _Checker:
    def __init__(
        self, source: str, known: frozenset[str], params: Mapping[str, Any], fact_kinds: Mapping[str, Kind]
    ) -> None:
        self.source = source
        self.known = known
        self.params = params
        self.fact_kinds = fact_kinds
        self.facts: set[str] = set()

    def fail(self, problem: str) -> RuleSyntaxError:
        return RuleSyntaxError(f"{problem}, trong «{self.source}»")

    def check_params(self) -> None:
        for name, value in self.params.items():
            if name in self.known:
                raise self.fail(f"tham số {name!r} trùng tên với một dữ kiện")
            if self.param_kind(name) is None:
                raise self.fail(
                    f"tham số {name!r} có giá trị {value!r} không hợp lệ (chỉ được dùng số hữu hạn, chuỗi, "
                    "đúng/sai, hoặc danh sách khác rỗng gồm số hoặc chuỗi cùng loại)"
                )

    def param_kind(self, name: str) -> Kind | None:
        value = self.params[name]
        if isinstance(value, list | tuple):
            kinds = {_value_kind(v) for v in value}
            if kinds == {"number"}:
                return "list_number"
            if kinds == {"string"}:
                return "list_string"
            return None
        return _value_kind(value)

    def expect(self, node: ast.expr, wanted: Kind, what: str) -> None:
        kind = self.check(node)
        if kind not in {wanted, "any"}:
            raise self.fail(f"{what} cần {_KIND_VI[wanted]} nhưng «{ast.unparse(node)}» là {_KIND_VI[kind]}")

    def check(self, node: ast.expr) -> Kind:
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            for value in node.values:
                self.expect(value, "bool", f"toán tử '{word}'")
            return "bool"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.expect(node.operand, "bool", "toán tử 'not'")
            return "bool"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            self.expect(node.operand, "number", "dấu trừ")
            return "number"
        if isinstance(node, ast.Compare):
            return self.check_compare(node)
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
                raise self.fail("chỉ được dùng các phép tính + - * /")
            self.expect(node.left, "number", "phép tính")
            self.expect(node.right, "number", "phép tính")
            return "number"
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id == "count"):
                raise self.fail("chỉ được gọi hàm count(...)")
            if node.keywords or not node.args:
                raise self.fail("count(...) cần ít nhất một điều kiện và không nhận tham số có tên")
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.fail("count(...) không nhận dấu * mở rộng")
                self.expect(arg, "bool", "count(...)")
            return "number"
        if isinstance(node, ast.Name):
            if node.id in self.params:
                kind = self.param_kind(node.id)
                assert kind is not None  # checked in check_params
                return kind
            if node.id not in self.known:
                raise self.fail(f"tên không xác định {node.id!r} (không phải dữ kiện hay tham số của chỉ số)")
            self.facts.add(node.id)
            return self.fact_kinds.get(node.id, "any")
        if isinstance(node, ast.Constant):
            kind = _value_kind(node.value)
            if kind is None:
                raise self.fail(f"hằng số {node.value!r} không được phép")
            return kind
        if isinstance(node, ast.List | ast.Tuple):
            kinds: set[Kind | None] = set()
            for element in node.elts:
                if not isinstance(element, ast.Constant):
                    raise self.fail("danh sách chỉ được chứa hằng số")
                kinds.add(_value_kind(element.value))
            if kinds == {"number"}:
                return "list_number"
            if kinds == {"string"}:
                return "list_string"
            raise self.fail("danh sách phải khác rỗng và gồm toàn số hoặc toàn chuỗi")
        name = _SYNTAX_NAMES_VI.get(type(node), type(node).__name__)
        raise self.fail(f"cú pháp không được phép: {name}")

    def check_compare(self, node: ast.Compare) -> Kind:
        left_node = node.left
        left = self.check(left_node)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE_PY:
                raise self.fail("phép so sánh không được phép (chỉ == != < <= > >= in, not in)")
            right = self.check(right_node)
            if isinstance(op, ast.In | ast.NotIn):
                if right not in {"list_number", "list_string"}:
                    raise self.fail(
                        f"vế phải của 'in' phải là một danh sách hằng số hoặc tham số danh sách, "
                        f"không phải «{ast.unparse(right_node)}»"
                    )
                element: Kind = "number" if right == "list_number" else "string"
                if left not in {element, "any"}:
                    raise self.fail(
                        f"«{ast.unparse(left_node)}» không cùng loại với các phần tử của danh sách"
                    )
            else:
                if left in {"list_number", "list_string"} or right in {"list_number", "list_string"}:
                    raise self.fail("chỉ so sánh danh sách bằng 'in'")
                if isinstance(op, _ORDERING) and "bool" in {left, right}:
                    raise self.fail("không so sánh lớn/nhỏ giá trị đúng/sai")
                if isinstance(op, _ORDERING) and "string" in {left, right}:
                    raise self.fail("không so sánh lớn/nhỏ chuỗi")
                if "any" not in {left, right} and left != right:
                    raise self.fail(
                        f"không so sánh «{ast.unparse(left_node)}» ({_KIND_VI[left]}) với "
                        f"«{ast.unparse(right_node)}» ({_KIND_VI[right]})"
                    )
            left_node, left = right_node, right
        return "bool"


_KIND_VI: dict[Kind, str] = {
    "bool": "giá trị đúng/sai",
    "number": "số",
    "string": "chuỗi",
    "list_number": "danh sách số",
    "list_string": "danh sách chuỗi",
    "any": "giá trị",
}


# --- Python ------------------------------------------------------------------------------------------------


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _compare_py(op: type[ast.cmpop]) -> Callable[[Any, Any], bool]:
    """A comparison with Polars' NaN semantics: NaN equals NaN and is greater than every number."""
    plain = _COMPARE_PY[op]
    if op in {ast.In, ast.NotIn}:
        return plain

    def compare(a: Any, b: Any) -> bool:
        if _is_nan(a) or _is_nan(b):
            return plain((_is_nan(a), 0.0 if _is_nan(a) else a), (_is_nan(b), 0.0 if _is_nan(b) else b))
        return plain(a, b)

    return compare


def _divide(a: Any, b: Any) -> float:
    """IEEE division, as in a Polars Float64 column: x / 0 is ±inf, and 0 / 0 is NaN."""
    a, b = float(a), float(b)
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


_ARITH_PY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: float(a) + float(b),
    ast.Sub: lambda a, b: float(a) - float(b),
    ast.Mult: lambda a, b: float(a) * float(b),
    ast.Div: _divide,
}


def _param(name: str, params: Mapping[str, Any]) -> Any:
    value = params[name]
    return tuple(value) if isinstance(value, list) else value


def _and(values: Any) -> bool | None:
    unknown = False
    for value in values:
        if value is None:
            unknown = True
        elif not value:
            return False
    return None if unknown else True


def _or(values: Any) -> bool | None:
    unknown = False
    for value in values:
        if value is None:
            unknown = True
        elif value:
            return True
    return None if unknown else False


# For `count(...) OP k` with between `low` and `high` true conditions: (always true, always false).
_COUNT_BOUNDS: dict[type[ast.cmpop], Callable[[Any, Any, Any], tuple[bool, bool]]] = {
    ast.GtE: lambda low, high, k: (low >= k, high < k),
    ast.Gt: lambda low, high, k: (low > k, high <= k),
    ast.LtE: lambda low, high, k: (high <= k, low > k),
    ast.Lt: lambda low, high, k: (high < k, low >= k),
    ast.Eq: lambda low, high, k: (low == high == k, k < low or k > high),
    ast.NotEq: lambda low, high, k: (k < low or k > high, low == high == k),
}


def _is_count_comparison(node: ast.Compare) -> bool:
    return (
        isinstance(node.left, ast.Call)
        and len(node.ops) == 1
        and type(node.ops[0]) in _COUNT_BOUNDS
        and not isinstance(node.comparators[0], ast.Call)
    )


def _compile_py(node: ast.expr, params: Mapping[str, Any]) -> PyFn:
    if isinstance(node, ast.BoolOp):
        parts = [_compile_py(v, params) for v in node.values]
        combine = _and if isinstance(node.op, ast.And) else _or
        return lambda f: combine(p(f) for p in parts)
    if isinstance(node, ast.UnaryOp):
        inner = _compile_py(node.operand, params)
        if isinstance(node.op, ast.Not):
            return lambda f: None if (value := inner(f)) is None else not value
        return lambda f: None if (value := inner(f)) is None else -value
    if isinstance(node, ast.Compare) and _is_count_comparison(node):
        assert isinstance(node.left, ast.Call)
        conditions = [_compile_py(a, params) for a in node.left.args]
        bound = _COUNT_BOUNDS[type(node.ops[0])]
        limit = _compile_py(node.comparators[0], params)

        def count_compare(f: Mapping[str, Any]) -> bool | None:
            k = limit(f)
            if k is None or _is_nan(k):
                return None
            values = [c(f) for c in conditions]
            low = sum(1 for v in values if v)
            high = low + sum(1 for v in values if v is None)
            always, never = bound(low, high, k)
            return True if always else False if never else None

        return count_compare
    if isinstance(node, ast.Compare):
        left = _compile_py(node.left, params)
        pairs = [
            (_compare_py(type(op)), _compile_py(c, params))
            for op, c in zip(node.ops, node.comparators, strict=True)
        ]

        def compare(f: Mapping[str, Any]) -> bool | None:
            current = left(f)
            terms = []
            for fn, right in pairs:
                value = right(f)
                terms.append(None if current is None or value is None else fn(current, value))
                current = value
            return _and(terms)

        return compare
    if isinstance(node, ast.BinOp):
        lhs, rhs = _compile_py(node.left, params), _compile_py(node.right, params)
        fn = _ARITH_PY[type(node.op)]

        def arithmetic(f: Mapping[str, Any]) -> Any:
            a, b = lhs(f), rhs(f)
            return None if a is None or b is None else fn(a, b)

        return arithmetic
    if isinstance(node, ast.Call):
        args = [_compile_py(a, params) for a in node.args]

        def count(f: Mapping[str, Any]) -> int | None:
            values = [a(f) for a in args]
            return None if any(v is None for v in values) else sum(1 for v in values if v)

        return count
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
    raise RuleSyntaxError(f"cú pháp không được phép: {type(node).__name__}")


# --- Polars ------------------------------------------------------------------------------------------------


def _literal(node: ast.expr, params: Mapping[str, Any]) -> Any:
    """The Python value of a constant, list literal or parameter (used for `in` on the Polars side)."""
    if isinstance(node, ast.Name) and node.id in params:
        return _param(node.id, params)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant))
    return None


def _count_bounds_pl(node: ast.Call, params: Mapping[str, Any]) -> tuple[pl.Expr, pl.Expr]:
    """(number of conditions that are true, that number plus the unknown ones) per row."""
    terms = [_compile_pl(a, params) for a in node.args]
    low = pl.sum_horizontal([t.fill_null(False).cast(pl.Int32) for t in terms])
    unknown = pl.sum_horizontal([t.is_null().cast(pl.Int32) for t in terms])
    return low, low + unknown


def _compile_pl(node: ast.expr, params: Mapping[str, Any]) -> pl.Expr:
    if isinstance(node, ast.Compare) and _is_count_comparison(node):
        assert isinstance(node.left, ast.Call)
        low, high = _count_bounds_pl(node.left, params)
        k = _compile_pl(node.comparators[0], params)
        always, never = {
            ast.GtE: (low >= k, high < k),
            ast.Gt: (low > k, high <= k),
            ast.LtE: (high <= k, low > k),
            ast.Lt: (high < k, low >= k),
            ast.Eq: ((low == k) & (high == k), (k < low) | (k > high)),
            ast.NotEq: ((k < low) | (k > high), (low == k) & (high == k)),
        }[type(node.ops[0])]
        return (
            pl.when(k.is_null() | k.cast(pl.Float64).is_nan())
            .then(pl.lit(None, dtype=pl.Boolean))
            .when(always)
            .then(pl.lit(True))
            .when(never)
            .then(pl.lit(False))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
        )
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
                    raise RuleSyntaxError("vế phải của 'in' phải là một danh sách hoặc tham số danh sách")
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
        low, high = _count_bounds_pl(node, params)
        return pl.when(low == high).then(low).otherwise(pl.lit(None, dtype=pl.Int32))
    if isinstance(node, ast.Name):
        if node.id in params:
            return pl.lit(_param(node.id, params))
        return pl.col(node.id)
    if isinstance(node, ast.Constant):
        return pl.lit(node.value)
    raise RuleSyntaxError(f"cú pháp không được phép: {type(node).__name__}")


def _numeric(expr: pl.Expr) -> pl.Expr:
    """Arithmetic on facts is done in floating point on both sides (the Python side converts with float())."""
    return expr.cast(pl.Float64)

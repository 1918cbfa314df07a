"""Tokenize and parse a typed f(x) into a syntax tree, without eval.

The text never reaches eval, exec, sympify or parse_expr, which sympy documents
as unsafe on untrusted input. The tokenizer and the recursive-descent parser
here accept only numbers, x, e, pi, + - * / ^ (or **), brackets and a fixed
list of functions, and they bound the length and nesting depth of the text.
Implicit products such as 2x, 2(x+1) and x(x-1) become explicit ones.

This module is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 200
"""Maximum length of a typed f(x), in characters."""
MAX_DEPTH = 32
"""Deepest nesting of brackets, signs and powers accepted."""
MAX_NUMBER_CHARS = 30
"""Maximum length of one number in a typed f(x), in characters."""
FUNCTION_NAMES = tuple(
    "sin cos tan asin acos atan sinh cosh tanh exp log ln sqrt abs".split()
)
"""Functions a typed f(x) may call; ln is the same as log (natural log)."""

_HINT = "use x, numbers, + - * / ^, brackets, e, pi and " + ", ".join(
    FUNCTION_NAMES
)
CONSTANTS = {"e": math.e, "pi": math.pi}
"""Named constants a typed f(x) may use, with their float values."""
_SPLITTABLE = sorted([*FUNCTION_NAMES, *CONSTANTS, "x"], key=len, reverse=True)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_TOKEN = re.compile(
    r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()×·−])"
    r"|(?P<power>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)"
    r"|(?P<space> +)"
)
_OPERATOR_ALIASES = {"**": "^", "×": "*", "·": "*", "−": "-"}


class ExpressionError(ValueError):
    """A typed f(x) that is invalid or not allowed, with the column in the message."""


@dataclass(frozen=True)
class _Token:
    """A token of the typed text."""

    kind: str
    """One of num, x, const, func, op, and the brackets '(' and ')'."""
    text: str
    column: int
    """1-based column in the typed text."""


@dataclass(frozen=True)
class Node:
    """A node of the syntax tree, with the columns of its text for messages."""

    kind: str
    """num, x, const, neg, one of + - * / ^, or call."""
    text: str
    children: tuple[Node, ...]
    start: int
    """1-based column where the node's text starts."""
    end: int
    """1-based column just after the node's text."""


def _describe_character(char: str) -> str:
    if char == "\n":
        return "a line break"
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    if char.isprintable() and not char.isspace():
        return f"character {char!r} ({name})"
    return f"character {name}"


def _split_name(name: str, column: int) -> list[_Token]:
    """Split a run of letters such as ``xsin`` into known names, or raise."""
    if name == "x" or name in CONSTANTS or name in FUNCTION_NAMES:
        pieces = [name]
    else:
        pieces, rest = [], name
        while rest:
            known = next((k for k in _SPLITTABLE if rest.startswith(k)), None)
            if known is None:
                hint = "; write x*2 or x^2" if re.fullmatch(r"x[0-9]+", name) else ""
                raise ExpressionError(
                    f"name {name!r} is not allowed at column {column}; {_HINT}"
                    + hint
                )
            pieces.append(known)
            rest = rest[len(known) :]
    tokens = []
    for piece in pieces:
        if piece == "x":
            kind = "x"
        elif piece in CONSTANTS:
            kind = "const"
        else:
            kind = "func"
        tokens.append(_Token(kind, piece, column))
        column += len(piece)
    return tokens


def _tokenize(text: str) -> list[_Token]:
    """Cut the text into tokens, rejecting every character not on the list."""
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position + 1
        if match is None:
            what = _describe_character(text[position])
            raise ExpressionError(
                f"{what} is not allowed at column {column}; {_HINT}"
            )
        kind, value = match.lastgroup, match.group()
        if kind == "number":
            if len(value) > MAX_NUMBER_CHARS:
                raise ExpressionError(
                    f"number at column {column} has more than "
                    f"{MAX_NUMBER_CHARS} characters; shorten it"
                )
            tokens.append(_Token("num", value, column))
        elif kind == "name":
            tokens.extend(_split_name(value, column))
        elif kind == "power":
            exponent = value.translate(_SUPERSCRIPTS)
            tokens.append(_Token("op", "^", column))
            if exponent.startswith("-"):
                tokens.append(_Token("op", "-", column))
            tokens.append(_Token("num", exponent.lstrip("-") or "1", column))
        elif kind == "op":
            value = _OPERATOR_ALIASES.get(value, value)
            tokens.append(_Token("op" if value not in "()" else value, value, column))
        position = match.end()
    return _insert_products(tokens)


def _insert_products(tokens: list[_Token]) -> list[_Token]:
    """Insert the ``*`` of implicit products such as ``2x``, ``x(x-1)``."""
    result: list[_Token] = []
    for token in tokens:
        previous = result[-1] if result else None
        ends_operand = previous is not None and previous.kind in (
            "num",
            "x",
            "const",
            ")",
        )
        if ends_operand and token.kind == "num":
            raise ExpressionError(
                f"missing operator before the number {token.text} at column "
                f"{token.column}; write * or ^ between the two"
            )
        if ends_operand and token.kind in ("x", "const", "func", "("):
            result.append(_Token("op", "*", token.column))
        result.append(token)
    return result


class _Parser:
    """Recursive descent over the tokens, with precedence + - < * / < ^.

    ``-x^2`` is ``-(x^2)`` and ``a^b^c`` is ``a^(b^c)``, as in Python.
    """

    def __init__(self, tokens: list[_Token], length: int) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0
        self._end_column = length + 1

    def parse(self) -> Node:
        """Parse the whole token list as one expression."""
        if not self._tokens:
            raise ExpressionError("f(x) is empty; type a formula in x, like x^2")
        node = self._sum()
        token = self._peek()
        if token is not None:
            if token.kind == ")":
                raise ExpressionError(
                    f"')' at column {token.column} has no matching '('"
                )
            raise self._unexpected(token)
        return node

    def _peek(self) -> _Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _take_op(self, operators: str) -> _Token | None:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text in operators:
            self._index += 1
            return token
        return None

    def _unexpected(self, token: _Token | None) -> ExpressionError:
        if token is None:
            return ExpressionError(
                f"f(x) ends too early at column {self._end_column}; finish it"
            )
        return ExpressionError(
            f"unexpected {token.text!r} at column {token.column}; "
            "expected a number, x, a function or '('"
        )

    def _nest(self, column: int) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ExpressionError(
                f"f(x) nests brackets, signs or powers more than {MAX_DEPTH} "
                f"deep at column {column}; simplify it"
            )

    def _sum(self) -> Node:
        node = self._product()
        while (operator := self._take_op("+-")) is not None:
            right = self._product()
            node = Node(operator.text, "", (node, right), node.start, right.end)
        return node

    def _product(self) -> Node:
        node = self._unary()
        while (operator := self._take_op("*/")) is not None:
            right = self._unary()
            node = Node(operator.text, "", (node, right), node.start, right.end)
        return node

    def _unary(self) -> Node:
        sign = self._take_op("+-")
        if sign is None:
            return self._power()
        self._nest(sign.column)
        operand = self._unary()
        self._depth -= 1
        if sign.text == "+":
            return operand
        return Node("neg", "", (operand,), sign.column, operand.end)

    def _power(self) -> Node:
        base = self._primary()
        caret = self._take_op("^")
        if caret is None:
            return base
        self._nest(caret.column)
        exponent = self._unary()
        self._depth -= 1
        return Node("^", "", (base, exponent), base.start, exponent.end)

    def _primary(self) -> Node:
        token = self._peek()
        if token is None or token.kind in ("op", ")"):
            raise self._unexpected(token)
        self._index += 1
        end = token.column + len(token.text)
        if token.kind in ("num", "x", "const"):
            return Node(token.kind, token.text, (), token.column, end)
        if token.kind == "func":
            following = self._peek()
            if following is None or following.kind != "(":
                raise ExpressionError(
                    f"function {token.text!r} at column {token.column} needs "
                    f"its argument in brackets, as in {token.text}(x)"
                )
            self._index += 1
            inner, close = self._bracketed(following)
            return Node("call", token.text, (inner,), token.column, close)
        inner, close = self._bracketed(token)
        return Node(inner.kind, inner.text, inner.children, token.column, close)

    def _bracketed(self, opening: _Token) -> tuple[Node, int]:
        """Parse up to the ``)`` that closes ``opening``; return it and the end."""
        self._nest(opening.column)
        inner = self._sum()
        self._depth -= 1
        token = self._peek()
        if token is None or token.kind != ")":
            if token is None:
                raise ExpressionError(
                    f"'(' at column {opening.column} is never closed; add ')'"
                )
            raise self._unexpected(token)
        self._index += 1
        return inner, token.column + 1


def parse_tree(text: str) -> Node:
    """Check the text's length and grammar and return its syntax tree."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"f(x) has {len(text)} characters; the limit is {MAX_LENGTH}"
        )
    stripped = text.strip(" ")
    offset = len(text) - len(text.lstrip(" "))
    tokens = [
        _Token(t.kind, t.text, t.column + offset) for t in _tokenize(stripped)
    ]
    return _Parser(tokens, len(text)).parse()

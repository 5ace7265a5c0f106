"""Tidy a matrix expression into the form a course writes, without changing its value.

The rules are the safe ones a person applies by hand: drop identities and zeros, multiply out numeric
coefficients, move (1×1) factors to the front (a scalar commutes), ``(AB)ᵀ = BᵀAᵀ``, ``(Xᵀ)ᵀ = X``, collect
like terms and factor a shared right factor (``Ax + Aᵀx → (A + Aᵀ)x``). Sums are never expanded under a
transpose, so ``x(Wx + b - y)ᵀ`` stays as written. Every rule preserves the value exactly; the tests check
this by evaluating before and after at random points.
"""

from __future__ import annotations

import sympy

from .expr import Add, Apply, Diag, Expr, Hadamard, Identity, MatMul, Ones, Scale, SqNorm, Symbol, Transpose, Zero

__all__ = ["simplify"]

_MAX_PASSES = 12


def simplify(expr: Expr) -> Expr:
    """Return an equal expression in tidy form (rules applied bottom-up until nothing changes)."""
    for _ in range(_MAX_PASSES):
        tidier = _pass(expr)
        if tidier == expr:
            return tidier
        expr = tidier
    return expr


def _pass(node: Expr) -> Expr:
    if isinstance(node, Symbol | Identity | Ones | Zero):
        return node
    if isinstance(node, Scale):
        return _scale(node.coefficient, _pass(node.arg))
    if isinstance(node, Transpose):
        return _transpose(_pass(node.arg))
    if isinstance(node, MatMul):
        return _matmul([_pass(f) for f in node.factors])
    if isinstance(node, Add):
        return _add([_pass(t) for t in node.terms], node.shape)
    if isinstance(node, Hadamard):
        return _hadamard(_pass(node.left), _pass(node.right))
    if isinstance(node, Apply):
        arg = _pass(node.arg)
        if node.fn == "identity":
            return arg
        if node.fn == "zero":
            return Zero(arg.shape)
        return Apply(node.fn, arg)
    if isinstance(node, Diag):
        arg = _pass(node.arg)
        if isinstance(arg, Zero):
            return Zero(node.shape)
        if isinstance(arg, Ones) or (isinstance(arg, Apply) and arg.fn == "one"):
            return Identity(node.shape.rows)
        if isinstance(arg, Scale):
            return _scale(arg.coefficient, Diag(arg.arg))
        return Diag(arg)
    if isinstance(node, SqNorm):
        return SqNorm(_pass(node.arg))
    raise TypeError(f"unknown node {type(node).__name__}")


def _scale(coefficient: sympy.Expr, arg: Expr) -> Expr:
    coefficient = sympy.cancel(coefficient)
    if isinstance(arg, Scale):
        return _scale(coefficient * arg.coefficient, arg.arg)
    if coefficient == 0 or isinstance(arg, Zero):
        return Zero(arg.shape)
    if coefficient == 1:
        return arg
    return Scale(coefficient, arg)


def _transpose(arg: Expr) -> Expr:
    if isinstance(arg, Transpose):
        return arg.arg
    if arg.shape.is_scalar or isinstance(arg, Identity | Diag):
        return arg
    if isinstance(arg, Zero):
        return Zero(arg.shape.T)
    if isinstance(arg, Scale):
        return _scale(arg.coefficient, _transpose(arg.arg))
    if isinstance(arg, MatMul):
        return _matmul([_transpose(f) for f in reversed(arg.factors)])
    if isinstance(arg, Hadamard):
        return _hadamard(_transpose(arg.left), _transpose(arg.right))
    return Transpose(arg)


def _matmul(factors: list[Expr]) -> Expr:
    shape = MatMul(tuple(factors)).shape  # checks the factors fit before anything is dropped
    coefficient: sympy.Expr = sympy.Integer(1)
    flat: list[Expr] = []
    for factor in factors:
        while isinstance(factor, Scale):
            coefficient *= factor.coefficient
            factor = factor.arg
        if isinstance(factor, MatMul):
            flat.extend(factor.factors)
        else:
            flat.append(factor)
    if any(isinstance(f, Zero) for f in flat):
        return Zero(shape)
    kept = [f for f in flat if not isinstance(f, Identity)]
    scalars = [f for f in kept if f.shape.is_scalar]
    others = [f for f in kept if not f.shape.is_scalar]
    ordered = scalars + others if others else kept
    if not ordered:
        product: Expr = Identity(shape.rows)  # a product of identities
    elif len(ordered) == 1:
        product = ordered[0]
    else:
        product = MatMul(tuple(ordered))
    if product.shape != shape:  # an identity was carrying the shape of a scaled scalar: keep it
        product = MatMul(tuple(scalars + [f for f in flat if not f.shape.is_scalar]))
    return _scale(coefficient, product)


def _split(term: Expr) -> tuple[sympy.Expr, Expr]:
    if isinstance(term, Scale):
        return term.coefficient, term.arg
    return sympy.Integer(1), term


def _add(terms: list[Expr], shape: object) -> Expr:
    flat: list[Expr] = []
    for term in terms:
        flat.extend(term.terms if isinstance(term, Add) else [term])
    collected: dict[Expr, sympy.Expr] = {}
    for term in flat:
        if isinstance(term, Zero):
            continue
        coefficient, base = _split(term)
        collected[base] = collected.get(base, sympy.Integer(0)) + coefficient
    items = [(base, sympy.cancel(c)) for base, c in collected.items() if sympy.cancel(c) != 0]
    items = _factor_right(items)
    if not items:
        return Zero(terms[0].shape)
    common = sympy.Integer(1)
    magnitudes = {sympy.Abs(c) for _, c in items}
    if len(items) > 1 and len(magnitudes) == 1:  # ±c on every term: write c (a ± b), as with 1/K in BCE
        common = magnitudes.pop()
    items = [(base, sympy.cancel(c / common)) for base, c in items]
    first_positive = next((i for i, (_, c) in enumerate(items) if not c.could_extract_minus_sign()), 0)
    items.insert(0, items.pop(first_positive))  # write a sum starting with a positive term
    rebuilt = [_scale(c, base) for base, c in items]
    total = rebuilt[0] if len(rebuilt) == 1 else Add(tuple(rebuilt))
    return _scale(common, total)


def _factor_right(items: list[tuple[Expr, sympy.Expr]]) -> list[tuple[Expr, sympy.Expr]]:
    """Group products that end in the same factor: ``c₁P₁f + c₂P₂f → (c₁P₁ + c₂P₂)f``."""
    groups: dict[Expr, list[int]] = {}
    for index, (base, _) in enumerate(items):
        if isinstance(base, MatMul) and not base.factors[-1].shape.is_scalar:
            groups.setdefault(base.factors[-1], []).append(index)
    shared = {last: members for last, members in groups.items() if len(members) > 1}
    if not shared:
        return items
    result: list[tuple[Expr, sympy.Expr]] = []
    done: set[int] = set()
    for index, (base, coefficient) in enumerate(items):
        if index in done:
            continue
        last = base.factors[-1] if isinstance(base, MatMul) else None
        if last is not None and last in shared:
            members = shared.pop(last)
            done.update(members)
            prefixes = []
            for member in members:
                member_base, member_coefficient = items[member]
                head = member_base.factors[:-1]  # type: ignore[attr-defined]
                prefix = head[0] if len(head) == 1 else MatMul(tuple(head))
                prefixes.append(_scale(member_coefficient, prefix))
            result.append((_matmul([_add(prefixes, None), last]), sympy.Integer(1)))
        else:
            result.append((base, coefficient))
    return result


def _hadamard(left: Expr, right: Expr) -> Expr:
    if isinstance(left, Zero) or isinstance(right, Zero):
        return Zero(left.shape)
    for one, other in ((left, right), (right, left)):
        if isinstance(one, Ones) or (isinstance(one, Apply) and one.fn == "one"):
            return other
    if isinstance(left, Scale) or isinstance(right, Scale):
        cl, bl = _split(left)
        cr, br = _split(right)
        return _scale(cl * cr, _hadamard(bl, br))
    if left.shape.is_scalar and right.shape.is_scalar:
        return _matmul([left, right])
    return Hadamard(left, right)

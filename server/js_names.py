"""Shorter local names for Crumb's hand-written scripts (the gate above all: 3 KB brotli budget).

rjsmin removes comments and spaces but keeps names, and no installable-from-PyPI minifier renames
ES2017 locals (terser, esbuild and swc need Node.js or ship no minifier in their Python
bindings). So the names are shortened here, on esprima's syntax tree: every binding declared
inside a function gets a short name, and only the identifiers' own characters in the source are
replaced, so nothing else of the script is regenerated. Names at the top level of the script
(globals), property names and every name the script reads from outside stay as they are.

Scripts using `with` or a direct `eval`, or declaring a function inside a block (whose scope
differs between strict and sloppy code), are refused rather than renamed.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field

import esprima

# Statements that open a block scope for `let`, `const` and `class`.
BLOCKS = ("BlockStatement", "ForStatement", "ForInStatement", "ForOfStatement")
# Never handed out: reserved words short enough to come up, and names with a meaning of their own.
RESERVED = {"do", "if", "in", "as", "of", "let", "for", "new", "try", "var", "NaN",
            "arguments", "eval", "undefined"}


class UnsafeScript(ValueError):
    """The script uses a construct whose names cannot be renamed safely."""


@dataclass(eq=False)
class Scope:
    """One scope: the names declared in it, and its place in the tree."""

    parent: Scope | None
    is_function: bool
    depth: int = 0
    declared: dict[str, Binding] = field(default_factory=dict)

    def function_scope(self) -> Scope:
        """Return the nearest enclosing function (or script) scope, where `var` lands."""
        scope = self
        while not scope.is_function:
            scope = scope.parent
        return scope

    def declare(self, name: str) -> None:
        """Declare `name` here (again is fine: `var` may repeat)."""
        self.declared.setdefault(name, Binding(name, self))

    def resolve(self, name: str) -> Binding | None:
        """Return the binding `name` means here, or None for a global."""
        scope = self
        while scope is not None:
            if name in scope.declared:
                return scope.declared[name]
            scope = scope.parent
        return None

    def encloses(self, other: Scope) -> bool:
        """Return whether `other` is this scope or inside it."""
        while other is not None and other.depth >= self.depth:
            if other is self:
                return True
            other = other.parent
        return False


@dataclass(eq=False)
class Binding:
    """One declared name and every place it is written."""

    name: str
    scope: Scope
    uses: list[Occurrence] = field(default_factory=list)
    short: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """An identifier in the source: where it is, in which scope, and whether it is a shorthand
    property (`{name}`), which must become `{name: short}` to keep its property name."""

    start: int
    end: int
    name: str
    scope: Scope
    shorthand: bool = False


def shorten_names(source: str) -> str:
    """Return `source` with every function-local binding renamed to a short name.

    :raise UnsafeScript: for `with`, a direct `eval`, or a function declared inside a block.
    :raise esprima.Error: when `source` is not a valid script.
    """
    occurrences = Analysis(source).occurrences
    globals_, bindings = set(), []
    for use in occurrences:
        binding = use.scope.resolve(use.name)
        if binding is None:
            globals_.add(use.name)
        elif binding.scope.parent is not None:  # names at the script's top level are globals too
            if not binding.uses:
                bindings.append(binding)
            binding.uses.append(use)
    assign_short_names(bindings, forbidden=globals_ | RESERVED)
    edits = [(use.start, use.end, f"{use.name}:{binding.short}" if use.shorthand else binding.short)
             for binding in bindings for use in binding.uses]
    renamed = apply_edits(source, edits)
    if _meaning(occurrences) != _meaning(Analysis(renamed).occurrences):
        raise UnsafeScript("renaming changed what a name refers to")
    return renamed


def assign_short_names(bindings: list[Binding], forbidden: set[str]) -> None:
    """Give each binding the shortest free name, most used first.

    A name is free for a binding unless a global uses it or a binding in an enclosing or
    enclosed scope already has it (bindings of scopes side by side may share one).
    """
    taken: dict[str, list[Scope]] = {}
    for binding in sorted(bindings, key=lambda b: (-len(b.uses), b.uses[0].start if b.uses else 0)):
        for candidate in _names():
            if candidate in forbidden:
                continue
            scopes = taken.get(candidate, [])
            if not any(s.encloses(binding.scope) or binding.scope.encloses(s) for s in scopes):
                break
        binding.short = candidate
        taken.setdefault(candidate, []).append(binding.scope)


def _names():
    first = string.ascii_letters + "$_"
    yield from first
    for length in itertools.count(2):
        for rest in itertools.product(first + string.digits, repeat=length - 1):
            for head in first:
                yield head + "".join(rest)


def apply_edits(source: str, edits: list[tuple[int, int, str]]) -> str:
    """Return `source` with each `(start, end, text)` span replaced (spans never overlap)."""
    parts, at = [], 0
    for start, end, text in sorted(edits):
        parts.append(source[at:start])
        parts.append(text)
        at = end
    parts.append(source[at:])
    return "".join(parts)


def check_same_meaning(before: str, after: str) -> None:
    """Renaming must leave every identifier meaning what it meant: the same global, or the same
    binding (bindings counted in order of first appearance).

    :raise UnsafeScript: when it does not (a name captured by another binding).
    """
    if _meaning(Analysis(before).occurrences) != _meaning(Analysis(after).occurrences):
        raise UnsafeScript("renaming changed what a name refers to")


def _meaning(occurrences: list[Occurrence]) -> list[str | int]:
    """Each identifier as its global's name or its binding's number (in order of first use)."""
    numbers: dict[int, int] = {}
    return [use.name if (binding := use.scope.resolve(use.name)) is None
            else numbers.setdefault(id(binding), len(numbers)) for use in occurrences]


class Analysis:
    """Walk a script's syntax tree: build its scopes and list every identifier that names a
    variable (declaring or using it), in source order."""

    def __init__(self, source: str):
        tree = esprima.parseScript(source, {"range": True})
        self.occurrences: list[Occurrence] = []
        self.visit(tree, Scope(None, True))
        self.occurrences.sort(key=lambda use: use.start)

    def visit(self, node, scope: Scope) -> None:
        """Visit `node` (a syntax node, a list of them, or anything else, ignored) in `scope`."""
        if isinstance(node, list):
            for item in node:
                self.visit(item, scope)
            return
        kind = getattr(node, "type", None)
        if kind is None:
            return
        handler = getattr(self, "visit_" + kind, None)
        if handler is not None:
            handler(node, scope)
        elif kind in BLOCKS:
            self.visit_children(node, self.child(scope, False))
        else:
            self.visit_children(node, scope)

    def visit_children(self, node, scope: Scope) -> None:
        for key, value in vars(node).items():
            if key not in ("type", "range"):
                self.visit(value, scope)

    @staticmethod
    def child(scope: Scope, is_function: bool) -> Scope:
        return Scope(scope, is_function, scope.depth + 1)

    def use(self, node, scope: Scope, shorthand: bool = False) -> None:
        start, end = node.range
        self.occurrences.append(Occurrence(start, end, node.name, scope, shorthand))

    # --- names -------------------------------------------------------------------------

    def visit_Identifier(self, node, scope: Scope) -> None:
        if node.name == "eval":
            raise UnsafeScript("a direct eval can read any local name")
        self.use(node, scope)

    def visit_MemberExpression(self, node, scope: Scope) -> None:
        self.visit(node.object, scope)
        if node.computed:
            self.visit(node.property, scope)

    def visit_Property(self, node, scope: Scope) -> None:
        if node.computed:
            self.visit(node.key, scope)
        if node.shorthand:
            target = node.value.left if node.value.type == "AssignmentPattern" else node.value
            self.use(target, scope, shorthand=True)
            if node.value.type == "AssignmentPattern":
                self.visit(node.value.right, scope)
            return
        self.visit(node.value, scope)

    def visit_MethodDefinition(self, node, scope: Scope) -> None:
        if node.computed:
            self.visit(node.key, scope)
        self.visit(node.value, scope)

    def visit_LabeledStatement(self, node, scope: Scope) -> None:
        self.visit(node.body, scope)

    def visit_BreakStatement(self, node, scope: Scope) -> None:
        """Labels are not variables."""

    visit_ContinueStatement = visit_BreakStatement
    visit_MetaProperty = visit_BreakStatement

    def visit_WithStatement(self, node, scope: Scope) -> None:
        raise UnsafeScript("`with` makes every name inside it ambiguous")

    # --- declarations ------------------------------------------------------------------

    def visit_VariableDeclaration(self, node, scope: Scope) -> None:
        target = scope.function_scope() if node.kind == "var" else scope
        for declarator in node.declarations:
            for name in bound_names(declarator.id):
                target.declare(name)
        self.visit_children(node, scope)

    def visit_FunctionDeclaration(self, node, scope: Scope) -> None:
        if not scope.is_function:
            raise UnsafeScript(f"function {node.id.name} is declared inside a block")
        scope.declare(node.id.name)
        self.use(node.id, scope)
        self.visit_function(node, self.child(scope, True))

    def visit_FunctionExpression(self, node, scope: Scope) -> None:
        inner = self.child(scope, True)
        if node.id is not None:
            inner.declare(node.id.name)
            self.use(node.id, inner)
        self.visit_function(node, inner)

    def visit_ArrowFunctionExpression(self, node, scope: Scope) -> None:
        self.visit_function(node, self.child(scope, True))

    def visit_function(self, node, inner: Scope) -> None:
        for param in node.params:
            for name in bound_names(param):
                inner.declare(name)
        self.visit(node.params, inner)
        # The body's own block shares the function's scope, as parameters and body do in JS.
        body = node.body.body if node.body.type == "BlockStatement" else node.body
        self.visit(body, inner)

    def visit_ClassDeclaration(self, node, scope: Scope) -> None:
        scope.declare(node.id.name)
        self.use(node.id, scope)
        self.visit(node.superClass, scope)
        self.visit(node.body, scope)

    def visit_ClassExpression(self, node, scope: Scope) -> None:
        inner = self.child(scope, False)
        if node.id is not None:
            inner.declare(node.id.name)
            self.use(node.id, inner)
        self.visit(node.superClass, scope)
        self.visit(node.body, inner)

    def visit_SwitchStatement(self, node, scope: Scope) -> None:
        self.visit(node.discriminant, scope)
        self.visit(node.cases, self.child(scope, False))

    def visit_CatchClause(self, node, scope: Scope) -> None:
        inner = self.child(scope, False)
        if node.param is not None:
            for name in bound_names(node.param):
                inner.declare(name)
            self.visit(node.param, inner)
        self.visit(node.body.body, inner)


def bound_names(pattern) -> list[str]:
    """Return the names a declaration pattern (`a`, `{a, b: [c]}`, `d = 1`, `...e`) declares."""
    if pattern is None:
        return []
    kind = pattern.type
    if kind == "Identifier":
        return [pattern.name]
    if kind == "ObjectPattern":
        return [n for p in pattern.properties for n in bound_names(p.value if p.type == "Property" else p)]
    if kind == "ArrayPattern":
        return [n for element in pattern.elements for n in bound_names(element)]
    if kind == "AssignmentPattern":
        return bound_names(pattern.left)
    if kind == "RestElement":
        return bound_names(pattern.argument)
    return []

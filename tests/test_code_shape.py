"""The code's shape (README, "Development"): small modules and functions, no import cycles, and
build apart from run (the server never imports the builder)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"server": "crumb", "widget": "crumb.widget"}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40
# The build backend is one file by the project's fixed layout (pyproject.toml's backend-path).
LONGER_MODULES = {"package_builder.py": 360}


def python_files() -> list[Path]:
    files = [path for folder in PACKAGES for path in sorted((ROOT / folder).rglob("*.py"))]
    return files + [ROOT / "package_builder.py"]


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    parts[0] = PACKAGES.get(parts[0], parts[0])
    return ".".join(parts)


def top_level_imports(path: Path) -> set[str]:
    """The crumb modules `path` imports when it is imported (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("crumb"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("crumb"))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in python_files() if module_name(path).startswith("crumb")}
    return {name: {target for target in top_level_imports(path) if target in modules and target != name}
            for name, path in modules.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_in_a_circle():
    # A package's __init__ re-exporting its own modules is not a cycle of modules.
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in import_graph().items()}
    assert cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_server_never_imports_the_builder():
    assert not [path for path in python_files()[:-1] if "package_builder" in path.read_text(encoding="utf-8")
                and "import package_builder" in path.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", python_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_modules_and_functions_are_small(path):
    text = path.read_text(encoding="utf-8")
    limit = LONGER_MODULES.get(str(path.relative_to(ROOT)), MAX_MODULE_LINES)
    assert len(text.splitlines()) <= limit
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []

"""The test tree keeps its shape: helpers live in ``tests/support/`` (or fixtures in a
``conftest.py``), so no module under ``tests/`` imports from a test module or from a
``conftest.py``; and every folder is a package, so modules with the same name in
different folders do not collide."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_or_conftest(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "conftest" or last.startswith("test_")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, anywhere in it, with relative imports made absolute."""
    package = list(path.relative_to(TESTS.parent).parent.parts)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            # ``from tests.accounts import test_x`` imports a test module too.
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def test_nothing_imports_a_test_module_or_a_conftest():
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in _imported_modules(path):
            if module.startswith("tests.") and _is_test_or_conftest(module):
                wrong.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert not wrong, "move shared helpers to tests/support/:\n" + "\n".join(wrong)


def test_every_test_folder_is_a_package():
    folders = {p.parent for p in TESTS.rglob("*.py")} | {TESTS}
    missing = sorted(
        str(f.relative_to(TESTS.parent)) for f in folders if not (f / "__init__.py").exists()
    )
    assert not missing, f"add an __init__.py to: {missing}"

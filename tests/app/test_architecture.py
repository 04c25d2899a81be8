"""The layout holds: dependencies point one way and modules meet through public names only."""
import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["kinerja", "web", "portal", "kiosk", "public", "api"]


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, ast.parse(path.read_text(), filename=str(path))


def test_dependencies_point_one_way():
    # Contracts in pyproject.toml: faces -> web -> kinerja; areas -> lower areas -> core.
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_uses_another_modules_private_names():
    found = []
    for path, tree in modules():
        imported_modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.split(".")[0] in PACKAGES:
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.relative_to(ROOT)}: from {node.module} import {alias.name}")
                    else:
                        imported_modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in imported_modules and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_nothing_in_the_domain_reads_the_request_or_the_logged_in_user():
    found = []
    for path, tree in modules():
        if path.relative_to(ROOT).parts[0] != "kinerja":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
                names = {alias.name for alias in node.names}
                if names & {"request", "current_user", "session", "g"}:
                    found.append(f"{path.relative_to(ROOT)}: from {node.module} import {sorted(names)}")
    assert found == []

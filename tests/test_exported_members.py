"""Public surfaces pinned (as httpx's tests/test_exported_members.py does): each module's
``__all__`` names exactly the classes and functions it defines without a leading underscore,
and everything it names exists. A new public name is a decision: add it to ``__all__`` or
give it a leading underscore."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

PACKAGES = ("loaders", "nlp", "graph", "api")


def _modules() -> list[ModuleType]:
    found = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            if not info.name.endswith("__main__"):
                found.append(importlib.import_module(info.name))
    return found


def _defined_public(module: ModuleType) -> set[str]:
    return {
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and getattr(obj, "__module__", None) == module.__name__
    }


MODULES = _modules()


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_all_names_every_public_class_and_function(module: ModuleType) -> None:
    exported = getattr(module, "__all__", None)
    if exported is None:
        assert not _defined_public(module), f"{module.__name__} defines public names but no __all__"
        return
    assert sorted(exported) == sorted(set(exported)), "a name is listed twice"
    missing = _defined_public(module) - set(exported)
    assert not missing, f"{module.__name__}: public but not in __all__: {sorted(missing)}"
    absent = [n for n in exported if not hasattr(module, n)]
    assert not absent, f"{module.__name__}.__all__ names what is not there: {absent}"


def test_every_package_module_is_covered() -> None:
    names = {m.__name__ for m in MODULES}
    assert {"loaders.errors", "graph.reads", "api.graphql.build", "nlp.quantities"} <= names


def test_no_two_classes_share_a_name() -> None:
    """A name means one thing: a class is found by its name alone."""
    where: dict[str, list[str]] = {}
    for module in MODULES:
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and getattr(obj, "__module__", None) == module.__name__:
                where.setdefault(name, []).append(module.__name__)
    assert {n: m for n, m in where.items() if len(m) > 1} == {}

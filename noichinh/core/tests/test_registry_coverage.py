"""Every registered resource must have permission-matrix tests (a ResourceTestCase subclass)."""

import importlib
import pkgutil
from pathlib import Path

import noichinh
from noichinh.core.resources import registry
from noichinh.core.testkit import COVERED


def test_every_registered_resource_inherits_the_permission_matrix() -> None:
    root = Path(noichinh.__file__).parent
    for app in sorted(p for p in root.iterdir() if (p / "tests").is_dir()):
        package = f"noichinh.{app.name}.tests"
        for info in pkgutil.iter_modules([str(app / "tests")]):
            if info.name.startswith("test_"):
                importlib.import_module(f"{package}.{info.name}")
    missing = sorted(r.__name__ for r in registry.all() if r not in COVERED)
    assert not missing, f"resources without ResourceTestCase tests: {missing}"
    assert len(registry.all()) >= 4

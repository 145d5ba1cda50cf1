"""Templating is a module of its own: views render pages without the app factory."""

from __future__ import annotations

import subprocess
import sys

VIEW_MODULES = ("jemput.auth.views", "jemput.auth.admin_views", "jemput.reports.views",
                "jemput.residents.views")


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout
    return set(output.split())


def test_a_view_module_imports_without_the_app_factory():
    for module in VIEW_MODULES:
        loaded = _imported_after(module)
        assert "jemput.templating" in loaded, module
        assert "jemput.web" not in loaded, module


def test_the_app_factory_imports_its_routers_at_the_top():
    # No lazy imports to dodge a cycle: importing web alone brings every router with it.
    loaded = _imported_after("jemput.web")
    assert set(VIEW_MODULES) <= loaded

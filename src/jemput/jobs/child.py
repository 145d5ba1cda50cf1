"""Run one claimed job in this process, under a hard memory limit: `python -m jemput.jobs.child ID`.

The worker (worker.py) starts one child per job and hands it the settings on stdin.
Reading an uploaded file is the one thing a stranger controls: if it needs more memory
than `job_memory_mb`, this process gets a MemoryError (or dies), the job fails with a
message, and the web server that started it never notices.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

# The child's exit codes, read by the worker when the job row was left "running".
EXIT_MEMORY = 3
EXIT_USAGE = 64


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (soft and hard: it cannot raise it again)."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def adopt_settings(values: dict[str, Any]) -> None:
    """Make the parent's settings this process's settings (get_settings reads the env)."""
    from jemput.config import get_settings

    for name, value in values.items():
        key = f"JEMPUT_{name.upper()}"
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value if isinstance(value, str) else json.dumps(value)
    get_settings.cache_clear()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("pakai: python -m jemput.jobs.child ID_PEKERJAAN", file=sys.stderr)
        return EXIT_USAGE
    adopt_settings(json.loads(sys.stdin.read()))
    from jemput.config import get_settings
    from jemput.jobs.worker import run_claimed
    from jemput.models_registry import import_all_models

    import_all_models()  # every mapper configured, as in the web app and the CLI
    settings = get_settings()
    limit_memory(settings.job_memory_mb)
    try:
        run_claimed(settings, int(argv[1]))
    except MemoryError:
        # run_claimed records a MemoryError itself; this is one while recording it.
        return EXIT_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

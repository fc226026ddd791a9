"""What a file's path says about it: test code, command-line entry points, Django settings, images
built for development only."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__"})
_TEST_FILE = re.compile(r"^(test_.*|.*_test|.*_tests|conftest)\.py$")
# management: Django commands; examples and tools: programs run by hand, whose output is for a person.
_CLI_DIRS = frozenset({"scripts", "bin", "cli", "management", "examples", "tools"})
_CLI_FILES = frozenset({"__main__.py", "manage.py", "setup.py", "noxfile.py"})
_CLI_FILE = re.compile(r"^(.*_)?cli\.py$")  # cli.py, _cli.py, sync_cli.py


def is_test_path(relpath: str) -> bool:
    path = PurePosixPath(relpath)
    return bool(_TEST_FILE.match(path.name)) or any(part in _TEST_DIRS for part in path.parts[:-1])


def is_cli_path(relpath: str) -> bool:
    path = PurePosixPath(relpath)
    return (
        path.name in _CLI_FILES
        or bool(_CLI_FILE.match(path.name))
        or any(part in _CLI_DIRS for part in path.parts[:-1])
    )


def is_settings_path(relpath: str) -> bool:
    """Django's settings modules: ``settings.py``, ``*_settings.py`` or any module of a ``settings/``
    package (``config/settings/production.py``)."""
    path = PurePosixPath(relpath)
    return path.name == "settings.py" or path.stem.endswith("_settings") or "settings" in path.parts[:-1]


# Dockerfile.dev, dev.Dockerfile, Containerfile.test: the variant names what the image is for.
_DEV_IMAGE = re.compile(
    r"(?i)^((dockerfile|containerfile)\.(dev|devel|develop|local|test|tests|ci)|(dev|local|test|ci)\.(dockerfile|containerfile))$"
)


def is_dev_image_path(relpath: str) -> bool:
    """A Dockerfile for a development container (``.devcontainer/``), tests or CI, never deployed."""
    path = PurePosixPath(relpath)
    return ".devcontainer" in path.parts[:-1] or is_test_path(relpath) or bool(_DEV_IMAGE.match(path.name))

"""The rewrites behind --fix: exact or not made, formatting and comments kept, composable."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxlint.config import Config

from ..conftest import write_files
from ..test_rule_fixes import fix_plan


def fixed(tmp_path: Path, code: str | bytes, select: tuple[str, ...] = ("MX201", "MX401")) -> str | None:
    """The rewritten ``app.py``, or None when --fix leaves it alone."""
    path = tmp_path / "app.py"
    path.write_bytes(code.encode() if isinstance(code, str) else code)
    _, plan = fix_plan(tmp_path, list(select))
    return plan.files[0].after if plan.files else None


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("requests.get(url)", "requests.get(url, timeout=30)"),
        ("requests.get(url,)", "requests.get(url, timeout=30,)"),
        (
            "requests.post(\n        url,\n        json={},  # body\n    )",
            "requests.post(\n        url,\n        json={},  # body\n        timeout=30,\n    )",
        ),
        (
            "requests.post(url,\n                  json={})",
            "requests.post(url,\n                  json={},\n                  timeout=30)",
        ),
        ("requests.post(\n        url\n    )", "requests.post(\n        url,\n        timeout=30\n    )"),
    ],
)
def test_timeout_is_added_in_the_call_layout(tmp_path: Path, call: str, expected: str) -> None:
    code = f"import requests\n\n\ndef send(url):\n    return {call}\n"
    assert fixed(tmp_path, code, ("MX201",)) == code.replace(call, expected)


@pytest.mark.parametrize(
    "call",
    [
        "requests.get(url, timeout=None)",  # an explicit choice: replacing it changes behaviour
        "requests.get(url, timeout=60)",
        "requests.get(url, **options)",  # may carry a timeout: not even reported
        "httpx.Client(timeout=None)",
    ],
)
def test_timeouts_someone_chose_are_not_rewritten(tmp_path: Path, call: str) -> None:
    code = f"import httpx\nimport requests\n\n\ndef send(url, options):\n    return {call}\n"
    assert fixed(tmp_path, code, ("MX201",)) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('print("fetched", n, "orders")', 'logger.info("fetched %s orders", n)'),
        ("print('a', 'b')", "logger.info('a b')"),
        ('print("100%", n)', 'logger.info("100%% %s", n)'),
        ('print("100%")', 'logger.info("100%")'),
        ("print(n)", "logger.info(n)"),
        ('print(f"{n!r} left, {{ok}}")', 'logger.info("%r left, {ok}", n)'),
        ('print(f"{n:>3}", "x")', 'logger.info("%s x", f"{n:>3}")'),
        ('print("a", n, sep=", ", end="\\n", flush=True)', 'logger.info("a, %s", n)'),
        ('print("a", n, sep="%")', 'logger.info("a%%%s", n)'),
        ('print("failed", n, file=sys.stderr)', 'logger.warning("failed %s", n)'),
        ('print("to stdout", file=sys.stdout)', 'logger.info("to stdout")'),
    ],
)
def test_print_becomes_an_exact_log_call(tmp_path: Path, line: str, expected: str) -> None:
    code = f"import sys\n\n\ndef report(n):\n    {line}\n"
    result = fixed(tmp_path, code, ("MX401",))
    assert result == (
        "import logging\nimport sys\n\nlogger = logging.getLogger(__name__)\n\n\n"
        f"def report(n):\n    {expected}\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "print()",
        "print(*n)",
        'print(n, end="")',
        "print(n, sep=SEP)",
        'print("a",  # why\n          n)',
        "pprint(n)",
    ],
)
def test_print_without_an_exact_rewrite_is_left_alone(tmp_path: Path, line: str) -> None:
    code = f"from pprint import pprint\nSEP = ','\n\n\ndef report(n):\n    {line}\n"
    assert fixed(tmp_path, code, ("MX401",)) is None


def test_existing_module_logger_is_reused(tmp_path: Path) -> None:
    code = "import logging as lg\n\nlog = lg.getLogger('sync')\n\n\ndef run(n):\n    print('ran', n)\n"
    assert fixed(tmp_path, code) == code.replace("print('ran', n)", "log.info('ran %s', n)")


@pytest.mark.parametrize(
    "code",
    [
        "import structlog\n\nlogger = structlog.get_logger()\n\n\ndef run():\n    print('x')\n",
        "from helpers import *\n\n\ndef run():\n    print('x')\n",
        "def run(logger):\n    print('x')\n",  # the name would be shadowed
        "import logging\n\nprint('x')\nlog = logging.getLogger(__name__)\n",  # runs before the logger
        "import logging\n\n\ndef f():\n    print('x')\n\n\nf()\nlog = logging.getLogger(__name__)\n",
    ],
)
def test_no_logger_can_be_added_safely(tmp_path: Path, code: str) -> None:
    assert fixed(tmp_path, code, ("MX401",)) is None


def test_logger_placement(tmp_path: Path) -> None:
    code = (
        '"""Sync."""\n\nfrom __future__ import annotations\n\nimport os\n\nimport requests\n\n'
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
        "PAGE = 100\n\n\ndef run():\n    print(requests.get(os.environ['URL']).json())\n"
    )
    assert fixed(tmp_path, code) == (
        '"""Sync."""\n\nfrom __future__ import annotations\n\nimport logging\nimport os\n\n'
        "import requests\n\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "PAGE = 100\n\n\ndef run():\n    logger.info(requests.get(os.environ['URL'], timeout=30).json())\n"
    )


def test_module_without_imports_and_third_party_only(tmp_path: Path) -> None:
    assert fixed(tmp_path, "def run():\n    print('x')\n") == (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef run():\n    logger.info('x')\n"
    )
    assert fixed(tmp_path, "import requests\n\nprint('x')\n") == (
        "import logging\n\nimport requests\n\nlogger = logging.getLogger(__name__)\n\nlogger.info('x')\n"
    )


def test_line_endings_and_encoding_are_kept(tmp_path: Path) -> None:
    crlf = b"import requests\r\n\r\n\r\ndef get(url):\r\n    return requests.get(url)\r\n"
    assert fixed(tmp_path, crlf) == crlf.decode().replace(".get(url)", ".get(url, timeout=30)")
    latin = "# -*- coding: latin-1 -*-\ndef run():\n    print('café')\n".encode("latin-1")
    (tmp_path / "app.py").write_bytes(latin)
    _, plan = fix_plan(tmp_path, ["MX401"])
    assert (tmp_path / "app.py").read_bytes() == latin, "planning writes nothing"
    assert plan.files[0].data == plan.files[0].after.encode("latin-1")
    assert "logger.info('café')" in plan.files[0].after


def test_suppressed_and_ignored_findings_are_not_fixed(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "app.py": "def run():\n    print('x')  # mxlint: ignore[MX401] operator console\n",
            "tools/report.py": "def run():\n    print('x')\n",
        },
    )
    config = Config(per_file_ignores=(("tools/*", ("MX401",)),))
    found, plan = fix_plan(tmp_path, ["MX401"], config)
    assert (found, plan.files) == (0, [])


def test_files_that_do_not_parse_are_never_touched(tmp_path: Path) -> None:
    assert fixed(tmp_path, "def run(:\n    print('x')\n") is None

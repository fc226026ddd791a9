"""Configuration that tells MX112 and MX304 about a project's own audit and state-store helpers."""

from __future__ import annotations

from mxlint.config import Config, Settings

WRITE = """\
import requests

from acme.history import record_change

BASE = "https://api.getmaintainx.com/v1"

def close(session: requests.Session, work_order_id: int) -> None:
    session.patch(f"{BASE}/workorders/{work_order_id}/status", json={"status": "DONE"}, timeout=30)
    record_change(work_order_id)
"""

SYNC = """\
import requests

from acme.kv import remember

BASE = "https://api.getmaintainx.com/v1"
LAST_SYNC = "1970-01-01T00:00:00Z"

def sync(session: requests.Session) -> None:
    global LAST_SYNC
    page = session.get(f"{BASE}/workorders", params={"updatedAt[gte]": LAST_SYNC}, timeout=30).json()
    LAST_SYNC = page["workOrders"][-1]["updatedAt"]
    remember(LAST_SYNC)
"""


def _ids(lint, files: dict[str, str], settings: Settings | None = None) -> list[tuple[str, int]]:
    config = Config(settings=settings) if settings else None
    result = lint(files, select=["MX112", "MX304"], config=config)
    return [(finding.rule_id, finding.line) for finding in result.findings]


def test_helpers_are_unknown_without_configuration(lint) -> None:
    assert sorted(_ids(lint, {"write.py": WRITE, "sync.py": SYNC})) == [("MX112", 8), ("MX304", 11)]


def test_configured_helpers_count_as_audit_and_persistence(lint) -> None:
    settings = Settings(audit_functions=("acme.history.record_change",), state_stores=("acme.kv.remember",))
    assert _ids(lint, {"write.py": WRITE, "sync.py": SYNC}, settings) == []


INJECTED = """\
from dataclasses import dataclass

import requests


@dataclass
class MaintainX:
    session: requests.Session  # built by make_session() in http.py, with a timeout adapter mounted

    def assets(self) -> dict:
        return self.session.get("https://api.getmaintainx.com/v1/assets").json()


def fetch(session: requests.Session, url: str) -> bytes:
    return session.get(url).content


def own(url: str) -> bytes:
    local = requests.Session()
    return local.get(url).content


def explicit(session: requests.Session, url: str) -> bytes:
    return session.get(url, timeout=None).content
"""


def test_injected_sessions_are_trusted_only_when_configured(lint) -> None:
    def lines(settings: Settings | None) -> list[int]:
        config = Config(settings=settings) if settings else None
        return [
            finding.line for finding in lint({"api.py": INJECTED}, select=["MX201"], config=config).findings
        ]

    assert lines(None) == [11, 15, 20, 24]
    # Sessions built in this module, and an explicit timeout=None, are still judged.
    assert lines(Settings(trust_injected_sessions=True)) == [20, 24]

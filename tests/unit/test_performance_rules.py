"""Edge cases of the performance rules MX502 (client-per-call), MX503 (uncached-static-lookup) and
MX504 (polling-loop)."""

from __future__ import annotations

import textwrap

import pytest


@pytest.fixture
def lines(lint):
    def _run(rule: str, code: str) -> list[int]:
        result = lint({"app.py": textwrap.dedent(code)}, select=[rule])
        assert not result.notifications, result.notifications
        return sorted(f.line for f in result.findings if f.rule_id == rule)

    return _run


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # passed on to a helper: the session serves a batch
            """
            import requests

            def sync(orders):
                session = requests.Session()
                push_all(session, orders)
                return session.get("https://erp.example.com/status", timeout=5)
            """,
            [],
        ),
        (  # a factory's client, closed by the caller
            """
            import httpx

            def client() -> httpx.Client:
                return httpx.Client(base_url="https://api.getmaintainx.com/v1")
            """,
            [],
        ),
        (  # used in place, once
            """
            import requests as r

            def ping():
                return r.Session().get("https://erp.example.com/ping", timeout=5)
            """,
            [5],
        ),
        (  # one client per iteration of a comprehension
            """
            import httpx

            def fetch(urls):
                return [httpx.Client(timeout=5).get(url) for url in urls]
            """,
            [5],
        ),
        (  # from-imported module-level verb
            """
            from httpx import get as fetch

            def status():
                return fetch("https://erp.example.com/status")
            """,
            [5],
        ),
        (  # a dict named requests is no library
            """
            requests = {}

            def cached(url):
                return requests.get(url)
            """,
            [],
        ),
    ],
)
def test_client_per_call(lines, code: str, expected: list[int]) -> None:
    assert lines("MX502", code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # cachetools on the lookup
            """
            import cachetools
            import requests

            @cachetools.cached(cachetools.TTLCache(maxsize=256, ttl=600))
            def team(session: requests.Session, team_id: int) -> dict:
                return session.get(f"https://api.getmaintainx.com/v1/teams/{team_id}", timeout=30).json()

            def names(session, orders):
                return [team(session, order["teamId"])["name"] for order in orders]
            """,
            [],
        ),
        (  # a lookup that is never called in a loop
            """
            import requests

            def user(session: requests.Session, user_id: int) -> dict:
                return session.get(f"https://api.getmaintainx.com/v1/users/{user_id}", timeout=30).json()
            """,
            [],
        ),
        (  # the list, fetched again for every work order
            """
            import requests

            def locate(session: requests.Session, orders: list) -> list:
                found = []
                for order in orders:
                    locations = session.get("https://api.getmaintainx.com/v1/locations", timeout=30).json()
                    found.append(locations)
                return found
            """,
            [7],
        ),
        (  # each work order filled in with its location: the item is no memo
            """
            import requests

            def enrich(session: requests.Session, orders: list) -> None:
                for order in orders:
                    order["location"] = session.get(
                        f"https://api.getmaintainx.com/v1/locations/{order['locationId']}", timeout=30
                    ).json()
            """,
            [6],
        ),
        (  # the same, with a memo beside it
            """
            import requests

            def enrich(session: requests.Session, orders: list) -> None:
                seen = {}
                for order in orders:
                    if order["locationId"] not in seen:
                        seen[order["locationId"]] = session.get(
                            f"https://api.getmaintainx.com/v1/locations/{order['locationId']}", timeout=30
                        ).json()
                    order["location"] = seen[order["locationId"]]
            """,
            [],
        ),
        (  # work orders are not static data
            """
            import requests

            def refresh(session: requests.Session, ids: list) -> list:
                return [session.get(f"https://api.getmaintainx.com/v1/workorders/{i}") for i in ids]
            """,
            [],
        ),
    ],
)
def test_uncached_static_lookup(lines, code: str, expected: list[int]) -> None:
    assert lines("MX503", code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # APScheduler, decorator form
            """
            import requests
            from apscheduler.schedulers.blocking import BlockingScheduler

            scheduler = BlockingScheduler()

            @scheduler.scheduled_job("interval", minutes=1)
            def poll() -> None:
                requests.get("https://api.getmaintainx.com/v1/workrequests", timeout=30)
            """,
            [7],
        ),
        (  # APScheduler add_job with a trigger object
            """
            import httpx
            from apscheduler.triggers.interval import IntervalTrigger

            def poll(client: httpx.Client) -> None:
                client.get("https://api.getmaintainx.com/v1/assets")

            def start(scheduler, client) -> None:
                scheduler.add_job(poll, IntervalTrigger(minutes=5), args=[client])
            """,
            [9],
        ),
        (  # a threading.Event wait in the loop's test
            """
            import threading

            import requests

            STOP = threading.Event()

            def run(session: requests.Session) -> None:
                while not STOP.wait(30):
                    session.get("https://api.getmaintainx.com/v1/parts", timeout=30)
            """,
            [9],
        ),
        (  # a loop that only writes
            """
            import time

            import requests

            def heartbeat(session: requests.Session) -> None:
                while True:
                    session.post("https://api.getmaintainx.com/v1/meterreadings", json={}, timeout=30)
                    time.sleep(60)
            """,
            [],
        ),
        (  # the sleep is an except's back-off
            """
            import time

            import requests

            def first_page(session: requests.Session) -> dict:
                while True:
                    try:
                        return session.get("https://api.getmaintainx.com/v1/assets", timeout=30).json()
                    except requests.ConnectionError:
                        time.sleep(5)
            """,
            [],
        ),
    ],
)
def test_polling_loop(lines, code: str, expected: list[int]) -> None:
    assert lines("MX504", code) == expected

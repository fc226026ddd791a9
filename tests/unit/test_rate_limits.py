"""Edge cases of the shared rate-limit analysis, seen through MX202 (retry-after-ignored)."""

from __future__ import annotations

import textwrap

import pytest

from mxlint.analysis.rate_limits import is_header_name


@pytest.fixture
def mx202(lint):
    """Lines of MX202 findings in ``code`` (dedented) written as ``app.py``."""

    def _run(code: str) -> list[int]:
        result = lint({"app.py": textwrap.dedent(code)}, select=["MX202"])
        assert not result.notifications, result.notifications
        return sorted(f.line for f in result.findings if f.rule_id == "MX202")

    return _run


@pytest.mark.parametrize(
    "name",
    ["Retry-After", "retry-after", "RETRY-AFTER", "X-Rate-Limit-Reset", "x-rate-limit-remaining",
     "X-RateLimit-Reset", "x-ratelimit-reset-requests", "RateLimit", "retry_after", "retryAfter"],
)  # fmt: skip
def test_header_names(name: str) -> None:
    assert is_header_name(name)


@pytest.mark.parametrize("name", ["X-Rate-Limit-Limit", "Content-Type", "retry", "after", "rate limited"])
def test_not_header_names(name: str) -> None:
    assert not is_header_name(name)


@pytest.mark.parametrize(
    "test",
    [
        "r.status_code == requests.codes.too_many_requests",
        "r.status_code == codes.TOO_MANY_REQUESTS",
        "r.status_code == httpx.codes.TOO_MANY_REQUESTS",
        "429 == r.status_code",
        "r.status_code == int(HTTPStatus.TOO_MANY_REQUESTS)",
        "r.status_code == HTTPStatus.TOO_MANY_REQUESTS.value",
        "r.status_code in {429, 503} and attempt < 5",
        "not r.status_code != 429",
        "r.status_code in RETRYABLE",
        "r.status_code in self.STATUSES",
        "r.status_code == TOO_MANY",
        "str(r.status_code) == '429'",
    ],
)
def test_429_tests_are_recognised(mx202, test: str) -> None:
    code = f"""
    import time
    from http import HTTPStatus
    import httpx
    import requests
    from requests import codes

    RETRYABLE = frozenset((429, 500))
    TOO_MANY = 429

    class Client:
        STATUSES = (429,)

        def get(self, r, attempt):
            if {test}:
                time.sleep(3)
    """
    assert mx202(code) == [16]


def test_local_lookalikes_are_not_429(mx202) -> None:
    code = """
    import time

    class HTTPStatus:
        TOO_MANY_REQUESTS = 500

    def get(r):
        if r.status_code == HTTPStatus.TOO_MANY_REQUESTS or r.status_code >= 400:
            time.sleep(3)
    """
    assert mx202(code) == []


def test_sleep_names_are_resolved(mx202) -> None:
    code = """
    import time as t
    from asyncio import sleep as nap
    import trio

    async def get(r):
        if r.status_code == 429:
            t.sleep(1)
            await nap(1)
            await trio.sleep(1)

    def other(r, clock):
        if r.status_code == 429:
            clock.sleep(1)
    """
    assert mx202(code) == [8, 9, 10]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("while r.status_code == 429:\n        time.sleep(1)\n        r = get()", [5]),
        ("if r.status_code != 429:\n        pass\n    else:\n        time.sleep(1)", [7]),
        ("if r.status_code != 429:\n        pass\n    elif r.ok:\n        time.sleep(1)", [7]),
        ("if r.status_code not in (429, 503):\n        return r\n    time.sleep(1)", [6]),
        ("if r.status_code != 429: return r\n    time.sleep(1)", [5]),
        ("if r.status_code == 429:\n        pass\n    else:\n        time.sleep(1)", []),
        ("if r.status_code != 429:\n        print(r)\n    time.sleep(1)", []),
        ("if r.status_code == 429:\n        def later():\n            time.sleep(1)", []),
    ],
)
def test_429_paths(mx202, body: str, lines: list[int]) -> None:
    code = f"import time\n\ndef f(r, get):\n    {body}\n"
    assert mx202(code) == lines


@pytest.mark.parametrize(
    "evidence",
    [
        'delay = int(r.headers["X-Rate-Limit-Reset"])',
        "delay = r.headers.get(RESET_HEADER)",
        "delay = r.headers.get(self.RESET)",
        "delay = r.headers.get(hdrs.RETRY_AFTER)",
        'delay = r.headers.get(f"X-Rate-Limit-{kind}")',
        "delay = self._wait_for(r)",
        "delay = outer_helper(r)",
        "delay = error.retry_after",
        "delay = r.json()['retry_after']",
    ],
)
def test_header_evidence(mx202, evidence: str) -> None:
    code = f"""
    import time
    from aiohttp import hdrs

    RESET_HEADER = "x-rate-limit-reset"

    def inner_helper(response):
        return float(response.headers["Retry-After"])

    def outer_helper(response):
        return inner_helper(response) + 1

    class Client:
        RESET = "X-Rate-Limit-Reset"

        def _wait_for(self, response):
            return int(response.headers.get("X-Rate-Limit-Reset", 1))

        def get(self, r, kind, error):
            if r.status_code == 429:
                {evidence}
                time.sleep(5)
    """
    assert mx202(code) == []


def test_values_named_like_the_header(mx202) -> None:
    code = """
    import time

    DEFAULT_RETRY_AFTER = 5

    def wait_for(r, retry_after):
        if r.status_code == 429:
            time.sleep(retry_after)

    def fixed(r):
        if r.status_code == 429:
            notify(retry_after=5)
            time.sleep(DEFAULT_RETRY_AFTER)
    """
    assert mx202(code) == [13]


def test_header_read_by_enclosing_function_counts(mx202) -> None:
    code = """
    import time

    def get(r):
        reset = int(r.headers.get("X-Rate-Limit-Reset", 1))

        def wait():
            if r.status_code == 429:
                time.sleep(reset)

        wait()
    """
    assert mx202(code) == []


def test_module_level_script(mx202) -> None:
    code = """
    import time
    import requests

    while True:
        r = requests.get("https://api.getmaintainx.com/v1/users", timeout=30)
        if r.status_code == 429:
            time.sleep(60)
            continue
        break

    for _ in range(3):
        r = requests.get("https://api.getmaintainx.com/v1/teams", timeout=30)
        if r.status_code == 429:
            time.sleep(int(r.headers["X-Rate-Limit-Reset"]))
    """
    assert mx202(code) == [8]


@pytest.mark.parametrize(
    ("policy", "lines"),
    [
        ("Retry(status_forcelist=[429], respect_retry_after_header=False)", [7]),
        ("Retry(status_forcelist=[500], respect_retry_after_header=True)", []),
        ("adapters.Retry(respect_retry_after_header=False)", [7]),
        ("urllib3.Retry(total=3, respect_retry_after_header=False)", [7]),
        ("MyRetry(respect_retry_after_header=False)", []),
    ],
)
def test_urllib3_retry(mx202, policy: str, lines: list[int]) -> None:
    code = f"""
    import urllib3
    from requests import adapters
    from urllib3.util import Retry
    class MyRetry: ...

    policy = {policy}
    """
    assert mx202(code) == lines


@pytest.mark.parametrize(
    ("decorator", "lines"),
    [
        ("@retry", [13]),  # tenacity's defaults: any exception, no wait
        ("@retry(stop=stop_after_attempt(3))", [13]),
        ("@retry(retry=retry_if_exception_type(), wait=wait_fixed(1))", [13]),
        ("@retry(retry=retry_if_exception_type(RateLimited), wait=wait_fixed(1) + wait_random(0, 1))", [13]),
        ("@retry(retry=retry_if_exception_type(ValueError), wait=wait_fixed(1))", []),
        ("@retry(retry=retry_if_exception_type(RateLimited), wait=wait_for_reset)", []),
        ("@retry(retry=retry_if_exception_type(RateLimited), wait=imported_wait)", []),
        ("@retry(retry=retry_if_exception_type(RateLimited), **options)", []),
    ],
)
def test_tenacity_policy_around_a_raising_429_branch(mx202, decorator: str, lines: list[int]) -> None:
    code = f"""
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_fixed, wait_random
    from waits import imported_wait

    class RateLimited(Exception):
        pass

    def wait_for_reset(retry_state):
        return retry_state.outcome.exception().reset

    options = {{}}

    {decorator}
    def get(session):
        response = session.get("https://api.getmaintainx.com/v1/assets", timeout=30)
        if response.status_code == 429:
            raise RateLimited()
        return response
    """
    assert mx202(code) == lines


def test_tenacity_negated_predicate_is_not_a_429_retry(mx202) -> None:
    code = """
    from tenacity import retry, retry_if_not_result, wait_fixed

    @retry(retry=retry_if_not_result(lambda r: r.status_code == 429), wait=wait_fixed(1))
    def get(session):
        return session.get("https://example.com", timeout=30)
    """
    assert mx202(code) == []


def test_tenacity_predicate_function_and_retrying_loop(mx202) -> None:
    code = """
    import tenacity

    def is_rate_limited(response) -> bool:
        return response.status_code == 429

    def get(session):
        for attempt in tenacity.Retrying(
            retry=tenacity.retry_if_result(is_rate_limited), wait=tenacity.wait_random_exponential()
        ):
            with attempt:
                return session.get("https://example.com", timeout=30)
    """
    assert mx202(code) == [8]


def test_tenacity_policy_in_a_function_that_sleeps_on_the_header(mx202) -> None:
    code = """
    import time
    from tenacity import retry, retry_if_exception_type, wait_fixed

    class RateLimited(Exception):
        pass

    @retry(retry=retry_if_exception_type(RateLimited), wait=wait_fixed(1))
    def get(session):
        response = session.get("https://example.com", timeout=30)
        if response.status_code == 429:
            time.sleep(int(response.headers["X-Rate-Limit-Reset"]))
            raise RateLimited()
        return response
    """
    assert mx202(code) == []


@pytest.mark.parametrize(
    ("decorator", "lines"),
    [
        (
            "@backoff.on_exception(backoff.expo, HTTPError, giveup=lambda e: e.response.status_code != 429)",
            [9],
        ),
        ("@backoff.on_exception(backoff.expo, HTTPError, giveup=permanent)", [9]),
        ("@backoff.on_exception(backoff.fibo, RateLimited)", [9]),
        ("@backoff.on_exception(wait_gen=backoff.constant, exception=Exception, interval=2)", [9]),
        ("@backoff.on_exception(backoff.expo, HTTPError)", []),
        ("@backoff.on_exception(backoff.runtime, RateLimited, value=lambda e: 5)", []),
        ("@backoff.on_predicate(backoff.expo, lambda r: r.status_code != 429)", []),
        ("@backoff.on_predicate(backoff.expo, predicate=lambda r: r.status_code == 429)", [9]),
    ],
)
def test_backoff_policies(mx202, decorator: str, lines: list[int]) -> None:
    code = f"""
    import backoff
    from errors import RateLimited
    from requests import HTTPError

    def permanent(e):
        return e.response.status_code not in (429, 503)

    {decorator}
    def get(session):
        response = session.get("https://example.com", timeout=30)
        if response.status_code == 429:
            raise RateLimited()
        return response
    """
    assert mx202(code) == lines


@pytest.mark.parametrize(
    ("decorator", "lines"),
    [
        ("@backoff.on_exception(backoff.expo, RateLimited, on_backoff=wait_for_reset)", []),
        ("@backoff.on_exception(backoff.expo, RateLimited, on_backoff=[log_attempt, wait_for_reset])", []),
        ("@backoff.on_exception(backoff.expo, RateLimited, on_backoff=hooks.wait_for_reset)", []),
        ("@backoff.on_exception(backoff.expo, RateLimited, on_backoff=lambda d: log_attempt(d))", [13]),
        ("@backoff.on_exception(backoff.expo, RateLimited, on_backoff=log_attempt)", [13]),
        ("@backoff.on_exception(backoff.expo, RateLimited, on_giveup=wait_for_reset)", [13]),
        ("@retry(retry=retry_if_exception_type(RateLimited), before_sleep=wait_for_reset)", []),
        ("@retry(retry=retry_if_exception_type(RateLimited), before_sleep=log_attempt)", [13]),
    ],
)
def test_sleep_hooks_that_wait_for_the_header(mx202, decorator: str, lines: list[int]) -> None:
    code = f"""
    import time
    import backoff
    from errors import RateLimited
    from tenacity import retry, retry_if_exception_type, wait_fixed

    def wait_for_reset(details):
        time.sleep(int(details["exception"].response.headers["X-Rate-Limit-Reset"]))

    def log_attempt(details):
        pass

    {decorator}
    def get(session):
        response = session.get("https://example.com", timeout=30)
        if response.status_code == 429:
            raise RateLimited()
        return response
    """
    assert mx202(code) == lines


def test_suppression_with_a_reason(lint) -> None:
    code = """\
import time

def get(r):
    if r.status_code == 429:
        time.sleep(5)  # mxlint: ignore[MX202] the gateway in front of us resets every 5 s
"""
    result = lint({"app.py": code}, select=["MX202"])
    assert not result.findings
    assert [f.justification for f in result.suppressed] == ["the gateway in front of us resets every 5 s"]


def test_aliased_policies(mx202) -> None:
    code = """\
from backoff import expo, on_predicate as poll_until
from tenacity import retry as with_retry, retry_if_result, wait_fixed as fixed

@with_retry(retry=retry_if_result(lambda r: r.status_code == 429), wait=fixed(3))
def first(session):
    return session.get("https://example.com", timeout=30)

@poll_until(expo, lambda r: r.status_code == 429)
def second(session):
    return session.get("https://example.com", timeout=30)
"""
    assert mx202(code) == [4, 8]


def test_status_delay_table(mx202) -> None:
    code = """\
import time

DELAYS = {429: 30, 503: 5}

def get(r):
    if r.status_code in DELAYS:
        time.sleep(DELAYS[r.status_code])
"""
    assert mx202(code) == [7]


@pytest.mark.parametrize(
    ("delay", "lines"),
    [
        ("rate_limit_delay(r)", []),  # imported: what it reads cannot be seen
        ("self.limiter.next_delay()", []),
        ("min(60, random.uniform(1, 2) * 2 ** attempt)", [16]),
        ("self._backoff(attempt)", [16]),  # defined here, reads no header
        ("delay", [16]),
        ("opaque", []),
    ],
)
def test_delays_from_elsewhere_are_trusted(mx202, delay: str, lines: list[int]) -> None:
    code = f"""\
import random
import time

from .limits import rate_limit_delay


class Client:
    def _backoff(self, attempt):
        return 2 ** attempt

    def get(self, r, attempt):
        delay = 2 ** attempt
        opaque = rate_limit_delay(r)
        if r.status_code == 429:
            print(delay, opaque)
            time.sleep({delay})
"""
    assert mx202(code) == lines


def test_ratelimit_package_is_not_a_header_read(mx202) -> None:
    code = """\
import time

import ratelimit

@ratelimit.sleep_and_retry
@ratelimit.limits(calls=100, period=60)
def get(r):
    if r.status_code == 429:
        time.sleep(5)
"""
    assert mx202(code) == [9]

"""Edge cases of the resilience analysis, seen through the project rules MX203, MX204 and MX505."""

from __future__ import annotations

import textwrap

import pytest

from mxlint.config import Config, Settings

CALL = """
import requests

def work_orders(session: requests.Session) -> dict:
    return session.get("https://api.getmaintainx.com/v1/workorders", timeout=30).json()
"""


@pytest.fixture
def findings(lint):
    """Messages of ``rule``'s findings for a project of ``client.py`` (CALL) plus ``policy.py``."""

    def _run(rule: str, policy: str, settings: Settings | None = None) -> list[str]:
        files = {"client.py": CALL, "policy.py": textwrap.dedent(policy)}
        config = Config(settings=settings) if settings else None
        result = lint(files, select=[rule], config=config)
        assert not result.notifications, result.notifications
        return [f"{f.path}:{f.line}: {f.message}" for f in result.findings if f.rule_id == rule]

    return _run


@pytest.mark.parametrize(
    "policy",
    [
        # urllib3 Retry through variables and a mounted adapter attribute
        """
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3 import Retry

        CODES = [429, *range(500, 505)]

        class Session(requests.Session):
            def __init__(self) -> None:
                super().__init__()
                self.retry = Retry(total=5, backoff_factor=0.5, status_forcelist=CODES)
                self.adapter = HTTPAdapter(max_retries=self.retry)
                self.mount("https://", self.adapter)
        """,
        # urllib3 directly
        """
        import urllib3

        http = urllib3.PoolManager(retries=urllib3.Retry(backoff_factor=1, status_forcelist={429, 503}))
        """,
        # a hand loop whose delay doubles
        """
        import time

        def call(send):
            delay = 1
            for _ in range(6):
                response = send()
                if response.status_code not in (429, 500, 502, 503):
                    return response
                time.sleep(delay)
                delay *= 2
        """,
        # backoff through an alias of the module
        """
        import backoff
        from backoff import expo as exponential

        @backoff.on_predicate(exponential, lambda r: r.status_code in (429, 503))
        def call(send):
            return send()
        """,
        # a custom tenacity wait built on a module-level exponential wait
        """
        import tenacity

        backoff_wait = tenacity.wait_random_exponential(max=60)

        def wait(state):
            return backoff_wait(state)

        retrying = tenacity.Retrying(wait=wait, stop=tenacity.stop_after_attempt(5))
        """,
        # an exponential wait kept in a module constant
        """
        from tenacity import AsyncRetrying, wait_exponential_jitter

        WAIT = wait_exponential_jitter(initial=1, max=30)
        retrying = AsyncRetrying(wait=WAIT)
        """,
        # a sleep whose delay is computed from the attempt in the loop
        """
        import asyncio

        async def call(send):
            for attempt in range(5):
                response = await send()
                if response.status < 500 and response.status != 429:
                    return response
                delay = min(60, 2 ** attempt)
                await asyncio.sleep(delay)
        """,
        # stamina: exponential with jitter by default, in each of its forms
        """
        import stamina

        for attempt in stamina.retry_context(on=RuntimeError):
            with attempt:
                pass
        """,
        """
        from stamina import RetryingCaller as Caller

        caller = Caller(attempts=5)
        """,
    ],
)
def test_retry_policies_that_count(findings, policy: str) -> None:
    assert findings("MX203", policy) == []


@pytest.mark.parametrize(
    ("policy", "closest"),
    [
        (
            """
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            adapter = HTTPAdapter(max_retries=Retry(total=5, backoff_factor=1, status_forcelist=[500, 503]))
            """,
            "status_forcelist` misses 429",
        ),
        (
            """
            from urllib3.util.retry import Retry

            RETRY = Retry(total=5, backoff_factor=1, status_forcelist=[429, 500])
            """,
            "never mounted",
        ),
        (
            """
            from urllib3.util.retry import Retry

            RETRY = Retry(total=5, backoff_factor=0, status_forcelist=[429, 500])
            """,
            "has `backoff_factor=0`, so it does not back off",
        ),
        (
            """
            import stamina

            @stamina.retry(on=Exception, wait_exp_base=1)
            def call(send):
                return send()
            """,
            "has `wait_exp_base=1`, so it does not back off",
        ),
        (
            """
            import httpx
            import stamina

            @stamina.retry(on=(httpx.ConnectError, httpx.ReadTimeout))
            def call(send):
                return send()
            """,
            "the stamina policy retries connection errors only",
        ),
        (
            """
            import backoff

            @backoff.on_exception(backoff.constant, Exception, interval=5)
            def call(send):
                return send()
            """,
            "not `backoff.expo`",
        ),
        (
            """
            from tenacity import retry

            @retry
            def call(send):
                return send()
            """,
            "retries at once",
        ),
        (
            """
            import httpx

            transport = httpx.HTTPTransport(retries=5)
            """,
            "",
        ),
    ],
)
def test_retry_policies_that_do_not_count(findings, policy: str, closest: str) -> None:
    [message] = findings("MX203", policy)
    assert message.startswith("client.py:5: ")
    assert closest in message
    if not closest:
        assert "closest" not in message


def test_a_project_without_maintainx_calls_has_no_finding(lint) -> None:
    result = lint({"erp.py": "import requests\nrequests.Session().get('https://erp.example.com')\n"})
    assert not [f for f in result.findings if f.rule_id in ("MX203", "MX204", "MX505")]


def test_configured_wrappers_count(findings) -> None:
    policy = """
    from acme.http import resilient, Breaker
    from acme import throttle

    BREAKER = Breaker()

    @resilient
    @throttle.per_minute(90)
    def call(send):
        return send()
    """
    assert findings("MX203", policy)
    settings = Settings(
        retry_policies=("acme.http.resilient",),
        circuit_breakers=("acme.http.Breaker",),
        rate_limiters=("acme.throttle.per_minute",),
    )
    for rule in ("MX203", "MX204", "MX505"):
        assert findings(rule, policy, settings) == [], rule


def test_configured_wrappers_imported_relatively_count(lint) -> None:
    # acme/client.py imports from acme/http.py as `.http`: the same wrapper as acme.http.resilient.
    client = "from .http import resilient\n\n@resilient\n" + CALL.split("\n", 2)[2].lstrip()
    files = {"acme/__init__.py": "", "acme/client.py": "import requests\n" + client}
    settings = Settings(retry_policies=("acme.http.resilient",))
    assert [f.rule_id for f in lint(files, select=["MX203"]).findings] == ["MX203"]
    assert lint(files, select=["MX203"], config=Config(settings=settings)).findings == []


@pytest.mark.parametrize(
    ("rule", "policy", "counts"),
    [
        ("MX204", "from circuitbreaker import circuit\n", True),
        ("MX204", "import aiobreaker as ab\n", True),
        ("MX204", "class CircuitBreakerError(Exception):\n    pass\n", False),
        ("MX505", "from aiolimiter import AsyncLimiter\n", True),
        ("MX505", "import asyncio\nLIMIT = asyncio.Semaphore(5)\n", False),
        ("MX505", "REMAINING = 'X-Rate-Limit-Remaining'\n", True),
        ("MX505", "class Throttle:\n    def wait(self):\n        pass\n", False),
    ],
)
def test_breakers_and_limiters(findings, rule: str, policy: str, counts: bool) -> None:
    assert (findings(rule, policy) == []) is counts


def test_scope_files_skips_project_rules(lint) -> None:
    result = lint({"client.py": CALL}, scope="files")
    assert not [f for f in result.findings if f.rule_id in ("MX203", "MX204", "MX505")]


def test_an_ignore_comment_on_the_anchor_line_suppresses_a_project_finding(lint) -> None:
    code = CALL.replace("timeout=30).json()", "timeout=30).json()  # mxlint: ignore[MX204] Istio ejects it")
    result = lint({"client.py": code}, select=["MX203", "MX204"])
    assert [f.rule_id for f in result.findings] == ["MX203"]
    assert [(f.rule_id, f.justification) for f in result.suppressed] == [("MX204", "Istio ejects it")]

"""The shared HTTP-client analysis (``mxlint.analysis.http_clients``) that timeout, retry, pagination and
pooling rules build on, plus MX201 edge cases that the rule's YAML examples do not show."""

from __future__ import annotations

import re
import textwrap

import libcst as cst
import pytest

from mxlint.analysis.http_clients import IMPORT_TRIGGER, HttpCall, HttpClients
from mxlint.checks.base import PythonContext
from mxlint.config import Settings
from mxlint.model import FileKind
from mxlint.sources import python as python_source


def analyse(source: str) -> tuple[HttpClients, PythonContext]:
    data = textwrap.dedent(source).encode()
    context = PythonContext("app.py", FileKind.PYTHON, data, Settings())
    context.attach(python_source.parse(data))
    return context.analysis(HttpClients), context


def code(context: PythonContext, node: cst.CSTNode | None) -> str | None:
    return None if node is None else context.module.code_for_node(node)


def summary(source: str) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, name, verb, url source) of every HTTP call of ``source``."""
    clients, context = analyse(source)
    return [(c.kind, c.name, c.verb, code(context, c.url)) for c in clients.calls()]


def only(source: str) -> tuple[HttpCall, HttpClients, PythonContext]:
    clients, context = analyse(source)
    calls = [c for c in clients.calls() if c.kind != "constructor"]
    assert len(calls) == 1, calls
    return calls[0], clients, context


# --- module functions and aliases ---------------------------------------------------------------


def test_requests_functions_through_aliases() -> None:
    assert summary(
        """
        import requests
        import requests as r
        import requests.api
        from requests import get as g, request

        requests.get(URL)
        r.post(URL, json={})
        g(url=URL)
        request("patch", URL)
        requests.api.delete(URL)
        requests.request(method, URL)
        """
    ) == [
        ("function", "requests.get", "GET", "URL"),
        ("function", "requests.post", "POST", "URL"),
        ("function", "requests.get", "GET", "URL"),
        ("function", "requests.request", "PATCH", "URL"),
        ("function", "requests.delete", "DELETE", "URL"),
        ("function", "requests.request", None, "URL"),
    ]


def test_other_libraries_module_functions() -> None:
    assert summary(
        """
        import aiohttp, httpx
        import urllib3

        httpx.stream("GET", "https://x")
        httpx.options("https://x")
        aiohttp.request("POST", "https://x")
        urllib3.request("GET", "https://x")
        """
    ) == [
        ("function", "httpx.stream", "GET", '"https://x"'),
        ("function", "httpx.options", "OPTIONS", '"https://x"'),
        ("function", "aiohttp.request", "POST", '"https://x"'),
        ("function", "urllib3.request", "GET", '"https://x"'),
    ]


def test_a_function_alias_assigned_to_a_variable() -> None:
    assert summary("import requests\nfetch = requests.get\nfetch(URL)\n") == [
        ("function", "requests.get", "GET", "URL")
    ]


# --- clients and their methods ------------------------------------------------------------------


def test_session_in_local_global_with_and_chained() -> None:
    calls = summary(
        """
        import requests
        from requests import Session

        shared = requests.session()

        def sync():
            local = Session()
            local.get("/a")
            shared.put("/b")
            with requests.Session() as managed:
                managed.head("/c")
            requests.Session().options("/d")
        """
    )
    methods = [call for call in calls if call[0] == "method"]
    assert methods == [
        ("method", "requests.Session.get", "GET", '"/a"'),
        ("method", "requests.Session.put", "PUT", '"/b"'),
        ("method", "requests.Session.head", "HEAD", '"/c"'),
        ("method", "requests.Session.options", "OPTIONS", '"/d"'),
    ]
    assert [call[1] for call in calls if call[0] == "constructor"] == ["requests.Session"] * 4


def test_self_attributes_class_attributes_inheritance_and_properties() -> None:
    calls = summary(
        """
        import requests

        class Base:
            shared = requests.Session()

            def connect(self):
                self.session = requests.Session()

        class Api(Base):
            def __init__(self):
                self._http = None

            @property
            def http(self):
                if self._http is None:
                    self._http = requests.Session()
                return self._http

            def run(self):
                self.session.get("/a")
                self.shared.get("/b")
                self.http.get("/c")
                Api.shared.get("/d")

        api = Api()
        api.session.post("/e")
        """
    )
    assert [url for kind, _, _, url in calls if kind == "method"] == ['"/a"', '"/b"', '"/c"', '"/d"', '"/e"']


def test_factories_annotations_and_context_managers() -> None:
    calls = summary(
        """
        from __future__ import annotations
        import contextlib
        from typing import Optional
        import httpx
        import requests

        def make():
            session = requests.Session()
            return session

        def typed() -> requests.Session:
            return build_elsewhere()

        @contextlib.contextmanager
        def managed():
            with httpx.Client() as client:
                yield client

        async def go(a: requests.Session, b: Optional[httpx.AsyncClient], c: "requests.Session | None"):
            make().get("/1")
            typed().get("/2")
            with managed() as client:
                client.get("/3")
            a.get("/4")
            await b.get("/5")
            c.get("/6")
        """
    )
    methods = [(name, url) for kind, name, _, url in calls if kind == "method"]
    assert methods == [
        ("requests.Session.get", '"/1"'),
        ("requests.Session.get", '"/2"'),
        ("httpx.Client.get", '"/3"'),
        ("requests.Session.get", '"/4"'),
        ("httpx.AsyncClient.get", '"/5"'),
        ("requests.Session.get", '"/6"'),
    ]


def test_a_global_statement_binds_the_module_variable() -> None:
    calls = summary(
        """
        import requests
        session = None

        def init():
            global session
            session = requests.Session()

        def fetch():
            return session.get("/x")
        """
    )
    assert ("method", "requests.Session.get", "GET", '"/x"') in calls


def test_self_referencing_assignment_does_not_loop() -> None:
    calls = summary(
        """
        import requests

        class Api:
            def __init__(self, session=None):
                self.session = session
                self.session = self.session or requests.Session()

            def run(self):
                return self.session.get("/x")
        """
    )
    assert ("method", "requests.Session.get", "GET", '"/x"') in calls


def test_base_url_and_client_level_timeout() -> None:
    clients, context = analyse(
        """
        import aiohttp, httpx, urllib3

        api = httpx.Client(base_url="https://api.getmaintainx.com/v1", timeout=10)
        api.get("/workorders")
        pool = urllib3.HTTPSConnectionPool("api.getmaintainx.com", 443, 5)

        async def main():
            async with aiohttp.ClientSession("https://api.getmaintainx.com") as session:
                await session.post("/v1/assets", json={})
        """
    )
    calls = clients.calls()
    get = next(c for c in calls if c.name == "httpx.Client.get")
    assert code(context, get.url) == '"/workorders"'
    assert get.client is not None and get.client.constructor is calls[0].call
    assert code(context, get.client.base_url) == '"https://api.getmaintainx.com/v1"'
    assert code(context, get.client.timeout) == "10"
    pool = next(c for c in calls if c.name == "urllib3.HTTPSConnectionPool")
    assert code(context, pool.client.base_url) == '"api.getmaintainx.com"'
    assert code(context, pool.client.timeout) == "5"  # third positional parameter
    post = next(c for c in calls if c.name == "aiohttp.ClientSession.post")
    assert code(context, post.client.base_url) == '"https://api.getmaintainx.com"'
    assert clients.calls_on(post.client) == [post]


def test_urllib3_managers_and_pools() -> None:
    assert summary(
        """
        import urllib3
        from urllib3 import PoolManager

        http = PoolManager()
        http.request("GET", "/a")
        urllib3.connection_from_url("https://x").urlopen("POST", "/b")
        """
    ) == [
        ("constructor", "urllib3.PoolManager", None, None),
        ("method", "urllib3.PoolManager.request", "GET", '"/a"'),
        ("method", "urllib3.HTTPConnectionPool.urlopen", "POST", '"/b"'),  # pre-order: outer call first
        ("constructor", "urllib3.HTTPConnectionPool", None, None),
    ]


# --- what is not an HTTP call -------------------------------------------------------------------


def test_things_named_like_http_clients_are_not_http_calls() -> None:
    assert (
        summary(
            """
            import requests

            class Queue:
                def __init__(self, requests):
                    self.requests = {}
                    self.pending = requests

                def take(self, key):
                    self.requests.get(key)
                    self.pending.get(key)

            def local():
                requests = {"a": 1}
                return requests.get("a")

            def param(session):
                return session.get("/x")

            cache = {}
            cache.get("k")
            """
        )
        == []
    )


def test_star_parameters_annotated_with_a_client_type_are_not_clients() -> None:
    # ``**clients: httpx.Client`` annotates the values: ``clients`` is a dict, its .get() no request.
    source = """
        import httpx, requests

        def pick(name, **clients: httpx.Client):
            return clients.get(name)

        def first(*sessions: requests.Session):
            return sessions[0].get("https://x")
        """
    assert summary(source) == []


def test_a_file_without_the_libraries_is_not_walked() -> None:
    clients, _ = analyse("requests = {}\nrequests.get('x')\n")
    assert clients.calls() == []


def test_a_subclass_method_overriding_the_library_method_is_not_the_library() -> None:
    calls = summary(
        """
        import requests

        class Api(requests.Session):
            def get(self, path):
                return super().get("https://x" + path, timeout=5)

        Api().get("/a")
        Api().post("/b")
        """
    )
    assert [name for kind, name, _, _ in calls if kind == "method"] == ["requests.Session.post"]


# --- timeouts injected for every request ------------------------------------------------------------


def enforced(source: str) -> list[bool]:
    clients, _ = analyse(source)
    return [c.client.default_timeout_enforced for c in clients.calls() if c.kind == "method"]


ADAPTER = """
import functools
import requests
from requests.adapters import HTTPAdapter

class TimeoutAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        kwargs["timeout"] = kwargs.get("timeout") or 10
        return super().send(request, **kwargs)

class LoggingAdapter(HTTPAdapter):
    pass
"""


def test_mounted_timeout_adapter_in_a_factory() -> None:
    assert enforced(
        ADAPTER
        + """
def make():
    session = requests.Session()
    adapter = TimeoutAdapter()
    session.mount("https://", adapter)
    return session

make().get("/x")
plain = requests.Session()
plain.mount("https://", LoggingAdapter())
plain.get("/y")
"""
    ) == [True, False]


def test_session_subclasses_and_patched_request() -> None:
    assert enforced(
        ADAPTER
        + """
class Overrides(requests.Session):
    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", 10)
        return super().request(method, url, **kwargs)

class Mounts(requests.Session):
    def __init__(self):
        super().__init__()
        self.mount("https://", TimeoutAdapter())

class Plain(requests.Session):
    pass

Overrides().get("/a")
Mounts().get("/b")
Plain().get("/c")
patched = requests.Session()
patched.request = functools.partial(patched.request, timeout=10)
patched.get("/d")
"""
    ) == [True, True, False, True]


# --- arguments and timeout values ---------------------------------------------------------------


def test_positional_timeout_of_session_request() -> None:
    call, _, context = only(
        'import requests\nrequests.Session().request("GET", URL, None, None, None, None, None, None, 9)\n'
    )
    assert call.verb == "GET"
    assert code(context, call.argument("timeout")) == "9"


def test_may_pass_through_star_arguments() -> None:
    call, _, _ = only("import requests\nrequests.get(URL, **options)\n")
    assert call.argument("timeout") is None and call.may_pass("timeout")
    call, _, _ = only("import requests\nrequests.Session().request(*args)\n")
    assert call.may_pass("timeout")
    call, _, _ = only("import requests\nrequests.get(*args)\n")
    assert not call.may_pass("timeout")


@pytest.mark.parametrize(
    ("timeout", "seconds"),
    [
        ("30", 30.0),
        ("2.5", 2.5),
        ("None", None),
        ("(3.05, 27)", 27.0),
        ("(5, None)", None),
        ("5 * 60", 300.0),
        ("TIMEOUT", 45.0),
        ("httpx.Timeout(60)", 60.0),
        ("httpx.Timeout(None)", None),
        ("httpx.Timeout(10.0, read=60)", 60.0),
        ("httpx.Timeout(10.0, read=None)", None),
        ("aiohttp.ClientTimeout(total=60)", 60.0),
        ("aiohttp.ClientTimeout()", None),
        ("aiohttp.ClientTimeout(total=None, sock_read=10)", 10.0),
        ("aiohttp.ClientTimeout(connect=5)", None),
        ("urllib3.Timeout(connect=2, read=60)", 60.0),
        ("urllib3.Timeout(total=20, read=60)", 20.0),
        ("T.Timeout(total=20)", 20.0),
    ],
)
def test_timeout_values(timeout: str, seconds: float | None) -> None:
    source = "import aiohttp, httpx, urllib3 as T\nimport urllib3\nTIMEOUT = 45\n"
    source += f"httpx.get(URL, timeout={timeout})\n"
    call, clients, _ = only(source)
    value = clients.timeout_value(call.argument("timeout"), call.call)
    assert value is not None and value.seconds == seconds


@pytest.mark.parametrize(
    "timeout", ["settings.TIMEOUT", "timeout", "float(os.environ['T'])", "CHANGING", "httpx.Timeout(**kw)"]
)
def test_unknown_timeout_values_are_trusted(timeout: str) -> None:
    source = "import httpx\nCHANGING = 5\nCHANGING += 60\n"
    source += f"def f(timeout):\n    httpx.get(URL, timeout={timeout})\n"
    call, clients, _ = only(source)
    assert clients.timeout_value(call.argument("timeout"), call.call) is None


# --- the trigger ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "matches"),
    [
        ("import requests\n", True),
        ("import os, requests\n", True),
        ("import os as o, httpx as h\n", True),
        ("def f():\n    import aiohttp\n", True),
        ("x = 1; import urllib3.util\n", True),
        ("from requests.adapters import HTTPAdapter\n", True),
        ("from requests_toolbelt.sessions import BaseUrlSession\n", True),
        ("from . import requests\n", False),
        ("import requests_oauthlib\n", False),
        ("# we use requests here\n", False),
        ("requests = {}\n", False),
    ],
)
def test_trigger(source: str, matches: bool) -> None:
    assert bool(re.search(IMPORT_TRIGGER.encode(), source.encode(), re.MULTILINE)) is matches


# --- MX201 through the engine ---------------------------------------------------------------------


def findings(lint, source: str) -> list[tuple[int, str]]:
    result = lint({"app.py": textwrap.dedent(source)}, select=["MX201"])
    return [(f.line, f.message) for f in result.findings if f.rule_id == "MX201"]


def test_mx201_positional_and_star_timeouts_are_given(lint) -> None:
    assert (
        findings(
            lint,
            """
            import requests

            session = requests.Session()
            session.request("GET", URL, None, None, None, None, None, None, 10)
            session.request(*args)
            session.get(URL, **kwargs)
            """,
        )
        == []
    )


def test_mx201_messages_name_the_call_and_the_problem(lint) -> None:
    assert findings(
        lint,
        """
        import httpx
        import requests as r

        LONG = (5, 45)

        async def main(client: httpx.AsyncClient):
            r.Session().get(URL, timeout=LONG)
            await client.get(URL, timeout=httpx.Timeout(None))
        """,
    ) == [
        (8, "`r.Session().get` timeout of 45 s is above the 30 s ceiling"),
        (9, "`client.get` timeout=httpx.Timeout(None) disables the timeout"),
    ]


def test_mx201_client_level_problems_are_forgiven_when_every_call_sets_a_timeout(lint) -> None:
    assert findings(
        lint,
        """
        import httpx
        import urllib3

        pool = urllib3.PoolManager()
        pool.request("GET", URL, timeout=5)
        client = httpx.Client(timeout=None)
        client.get(URL, timeout=10)
        unused = urllib3.PoolManager()
        partial = urllib3.PoolManager()
        partial.request("GET", URL, timeout=5)
        partial.request("GET", URL)
        """,
    ) == [
        (9, "`urllib3.PoolManager` without a timeout: requests made through it can wait forever"),
        (10, "`urllib3.PoolManager` without a timeout: requests made through it can wait forever"),
    ]


def test_mx201_suppression_with_a_reason(lint) -> None:
    result = lint(
        {"app.py": "import requests\nrequests.get(URL)  # mxlint: ignore[MX201] wrapped by the gateway\n"},
        select=["MX201"],
    )
    assert all(f.justification for f in result.findings if f.rule_id == "MX201")


def test_adapters_the_file_cannot_see_into_are_trusted() -> None:
    assert enforced(
        """
import requests
from requests.adapters import HTTPAdapter as Plain
from urllib3.util.retry import Retry
from app.http import TimeoutAdapter

def retrying():
    return Plain(max_retries=Retry(total=3))

imported = requests.Session()
imported.mount("https://", TimeoutAdapter(timeout=5))
imported.get("/a")
plain = requests.Session()
plain.mount("https://", retrying())
plain.get("/b")
"""
    ) == [True, False]


def test_a_name_also_bound_to_a_loop_variable_or_a_literal_is_ambiguous() -> None:
    assert summary(
        """
            import requests

            def run(rows):
                with requests.Session() as s:
                    pass
                for s in rows:
                    s.get("key")

            class Cache:
                def __init__(self):
                    self.store = {}

                def reset(self):
                    self.store = requests.Session()

                def lookup(self):
                    return self.store.get("key")
            """
    ) == [("constructor", "requests.Session", None, None), ("constructor", "requests.Session", None, None)]


def test_mx201_skips_test_files(lint) -> None:
    result = lint({"tests/test_api.py": "import requests\nrequests.get(URL)\n"}, select=["MX201"])
    assert [f for f in result.findings if f.rule_id == "MX201"] == []


def test_framework_objects_named_like_clients_are_not_http_calls() -> None:
    assert (
        summary(
            """
            import requests
            from flask import session
            from sqlalchemy.orm import Session

            def view(request):
                request.session.get("user")
                return session.get("user")

            class Repository:
                def __init__(self, engine):
                    self.session = Session(engine)

                def find(self, key):
                    return self.session.get(Model, key)

            try:
                from requests import Session as HttpSession
            except ImportError:
                from httpx import Client as HttpSession
            HttpSession().get("/ambiguous")
            """
        )
        == []
    )

"""The MaintainX call analysis: paths, name resolution, query parameters, configuration."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from mxlint.analysis.maintainx import (
    UNKNOWN,
    MaintainXCall,
    MaintainXCalls,
    match_list_endpoint,
    normalise_path,
    trigger_pattern,
)
from mxlint.checks.base import PythonContext
from mxlint.config import Config, Settings
from mxlint.model import FileKind

CONFIGURED = Settings(
    maintainx_base_urls=("getmaintainx.com", "mx-proxy.internal/api"),
    maintainx_clients=("acme.mx.MaintainXClient", "acme.mx.fetch"),
)


DEFAULT = Settings()


def analyse(code: str, settings: Settings = DEFAULT, relpath: str = "app.py") -> list[MaintainXCall]:
    source = textwrap.dedent(code)
    context = PythonContext(relpath, FileKind.PYTHON, source.encode(), settings)
    context.attach(cst.parse_module(source))
    return context.analysis(MaintainXCalls).calls()


def only(code: str, settings: Settings = DEFAULT) -> MaintainXCall:
    calls = analyse(code, settings)
    assert len(calls) == 1, [(c.verb, c.path) for c in calls]
    return calls[0]


def values(call: MaintainXCall) -> dict[str, object]:
    return {key: param.value for key, param in call.params.items()}


# --- paths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/v1/workorders", "/workorders"),
        ("/v1/workorders/", "/workorders"),
        ("//v1//assets//", "/assets"),
        ("/v1/workorders/\x00/comments", "/workorders/{}/comments"),
        ("/v1/workorders/wo-\x00\x00", "/workorders/wo-{}"),
        ("/v1\x00", "/{}"),
        ("", "/"),
        ("/users", "/users"),
    ],
)
def test_normalise_path(raw: str, expected: str) -> None:
    assert normalise_path(raw) == expected


@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        ("/workorders", "/workorders"),
        ("/WorkOrders", "/workorders"),
        ("/workorders/{}/comments", "/workorders/{id}/comments"),
        ("/workorders/42/subworkorders", "/workorders/{id}/subworkorders"),
        ("/teams/7/members", "/teams/{id}/members"),
        ("/conversations/{}/members", "/conversations/{id}/members"),
        ("/vendors/{}/contacts", "/vendors/{id}/contacts"),
        ("/maintenanceplans", "/maintenanceplans"),
        ("/rootcauseanalysisreports", "/rootcauseanalysisreports"),
        ("/workorders/{}", None),  # one work order
        ("/workorders/{}/costs", None),  # not paginated
        ("/versions", None),
        ("/subscriptions", None),
        ("/{}", None),
        ("/workorders{}", None),
        (None, None),
    ],
)
def test_list_endpoints(path: str | None, endpoint: str | None) -> None:
    assert match_list_endpoint(path) == endpoint


def test_query_string_and_trailing_slash_are_stripped() -> None:
    call = only('import requests\nrequests.get("https://api.getmaintainx.com/v1/assets/?limit=200#top")\n')
    assert (call.verb, call.path, call.list_endpoint) == ("GET", "/assets", "/assets")
    assert values(call) == {"limit": "200"}


# --- name resolution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        """
        import requests
        BASE_URL = "https://api.getmaintainx.com/v1"
        requests.get(f"{BASE_URL}/workorders")
        """,
        """
        import os, requests
        BASE = os.environ.get("MAINTAINX_URL", "https://api.getmaintainx.com/v1")
        def sync(session):
            session.get(BASE + "/workorders")
        """,
        """
        import os, requests
        HOST = os.getenv("MX_HOST") or "https://api.getmaintainx.com"
        def sync(session):
            url = HOST + "/v1" + "/workorders"
            return session.get(url=url)
        """,
        """
        import requests
        BASE = "https://api.getmaintainx.com/v1"
        requests.get("{}/workorders".format(BASE))
        requests.get("{base}/{path}".format(base=BASE, path="workorders"))
        requests.get("/".join([BASE, "workorders"]))
        """,
        """
        import requests
        class Client:
            def __init__(self, base_url="https://api.getmaintainx.com/v1"):
                self.base_url = base_url
                self.session = requests.Session()
            def work_orders(self):
                return self.session.get(f"{self.base_url}/workorders")
        """,
        """
        import requests
        class Settings:
            maintainx_url: str = "https://api.getmaintainx.com/v1"
        settings = Settings()
        def sync():
            return requests.get(f"{settings.maintainx_url}/workorders")
        """,
        """
        import httpx
        client = httpx.Client(base_url="https://api.getmaintainx.com/v1")
        client.get("workorders/")
        """,
        """
        import aiohttp
        async def sync():
            async with aiohttp.ClientSession(base_url="https://api.getmaintainx.com/v1/") as session:
                async with session.get("/workorders") as response:
                    return await response.json()
        """,
        """
        import httpx
        def make_client():
            return httpx.AsyncClient(base_url="https://api.getmaintainx.com/v1")
        class Sync:
            def __init__(self):
                self.client = make_client()
            async def run(self):
                return await self.client.request("GET", "/workorders")
        """,
        """
        import httpx
        def sync(client: httpx.Client):
            with client.stream("GET", "https://api.getmaintainx.com/v1/workorders") as response:
                return response.read()
        """,
        """
        from requests import get as fetch
        fetch("https://api.getmaintainx.com/v1/workorders")
        """,
    ],
)
def test_urls_resolve_to_the_work_order_list(code: str) -> None:
    calls = analyse(code)
    assert calls
    for call in calls:
        assert (call.verb, call.path, call.list_endpoint) == ("GET", "/workorders", "/workorders")


@pytest.mark.parametrize(
    "code",
    [
        'import requests\nrequests.get("https://tickets.example.com/v1/workorders")\n',
        'import httpx\nhttpx.Client(base_url="https://erp.example.com").get("/workorders")\n',
        'import requests\nrequests.get("/workorders")\n',  # relative, no client with a base URL
        # a dict, a cache and headers keyed by URL are lookups, not requests
        'BASE = "https://api.getmaintainx.com/v1"\nurl_cache = {}\nurl_cache.get(f"{BASE}/workorders")\n',
        'BASE = "https://api.getmaintainx.com/v1"\ndef f(r):\n    r.headers.get(f"{BASE}/workorders")\n',
        # a local function called get is not requests.get
        'def get(url):\n    pass\nget("https://api.getmaintainx.com/v1/workorders")\n',
        # the GET happens inside the wrapper's own method, where it is judged
        """
        import requests
        class Api:
            def get(self, url):
                pass
        api = Api()
        api.get("https://api.getmaintainx.com/v1/workorders")
        """,
        # a name bound twice in a cycle does not loop forever
        'import requests\nurl = url + "/x"\nrequests.get(url)\n',
    ],
)
def test_not_maintainx_calls(code: str) -> None:
    assert analyse(code) == []


def test_single_items_and_writes_are_not_list_reads() -> None:
    calls = analyse(
        """
        import requests
        BASE = "https://api.getmaintainx.com/v1"
        def f(s, wo_id):
            s.get(f"{BASE}/workorders/{wo_id}")
            s.post(f"{BASE}/workorders", json={})
            s.get(f"{BASE}/workorders/{wo_id}/costs")
            s.get(f"{BASE}/{wo_id}")
        """
    )
    assert [(c.verb, c.path, c.list_endpoint) for c in calls] == [
        ("GET", "/workorders/{}", None),
        ("POST", "/workorders", "/workorders"),
        ("GET", "/workorders/{}/costs", None),
        ("GET", None, None),
    ]


def test_a_parameter_that_supplies_the_path_is_reported_but_not_a_host() -> None:
    calls = analyse(
        """
        import requests
        BASE = "https://api.getmaintainx.com/v1"
        def page(s, url=f"{BASE}/workorders"):
            return s.get(url)
        def listing(s, base=BASE):
            return s.get(f"{base}/workorders")
        """
    )
    assert [(c.path, c.path_parameter) for c in calls] == [("/workorders", "url"), ("/workorders", None)]


@pytest.mark.parametrize(
    "code",
    [
        """
        import requests
        from app.settings import MAINTAINX_URL
        requests.get(f"{MAINTAINX_URL}/workorders")
        """,
        """
        import requests
        from app import config
        requests.get(config.MAINTAINX_API + "/v1/workorders")
        """,
        """
        from urllib.parse import urljoin
        def sync(session, settings):
            return session.get(urljoin(settings.maintainx_base_url, "workorders"))
        """,
        """
        import httpx
        def make_client(maintainx_url: str) -> httpx.Client:
            return httpx.Client(base_url=maintainx_url)
        def sync(url: str):
            return make_client(url).get("/workorders")
        """,
        """
        import requests
        from pydantic_settings import BaseSettings
        class Settings(BaseSettings):
            maintainx_url: str
        settings = Settings()
        requests.get(f"{settings.maintainx_url}/workorders")
        """,
        """
        import requests
        from app.base import Base
        class Client(Base):
            def __init__(self, maintainx_url=None):
                self.url = maintainx_url
            def sync(self):
                requests.get(self.url + "/workorders")
                requests.get(f"{self.maintainx_host}/v1/workorders")  # set by the imported base class
        """,
        """
        import requests
        from app.settings import *
        requests.get("{}/workorders".format(MAINTAINX_URL))
        """,
    ],
)
def test_a_base_url_known_only_by_its_name(code: str) -> None:
    """Another module's constant is not read (results are cached per file): its name tells."""
    calls = analyse(code)
    assert calls
    assert all((call.path, call.list_endpoint) == ("/workorders", "/workorders") for call in calls)


@pytest.mark.parametrize(
    "code",
    [
        # the name does not say MaintainX
        'import requests\nfrom app.config import URL\nrequests.get(f"{URL}/workorders")\n',
        # not the leading part of the URL
        'import requests\nfrom app import MAINTAINX_ORG\nrequests.get(f"https://erp.example.com/{MAINTAINX_ORG}/workorders")\n',
        'import requests\ndef f(maintainx_id):\n    requests.get(f"{ERP_URL}/{maintainx_id}/workorders")\n',
        # resolved in the file, to something else
        'import requests\nMAINTAINX_URL = "https://mock.example.com"\nrequests.get(f"{MAINTAINX_URL}/workorders")\n',
        'import requests\nmaintainx_url = load()\nrequests.get(maintainx_url + "/workorders")\n',
    ],
)
def test_a_name_alone_does_not_make_a_maintainx_url(code: str) -> None:
    assert analyse(code) == []


def test_an_imported_page_size_is_trusted() -> None:
    call = only(
        """
        import requests
        from app.settings import MAINTAINX_URL, PAGE_SIZE
        requests.get(f"{MAINTAINX_URL}/workorders", params={"limit": PAGE_SIZE})
        """
    )
    assert values(call) == {"limit": UNKNOWN}


# --- query parameters ----------------------------------------------------------------------------


def test_params_from_literals_variables_and_updates() -> None:
    calls = analyse(
        """
        import requests
        URL = "https://api.getmaintainx.com/v1/workorders"
        PAGE_SIZE = 50
        def a(s, cursor):
            params = {"limit": PAGE_SIZE, **{"statuses[]": "OPEN"}}
            if cursor:
                params["cursor"] = cursor
            return s.get(URL, params=params)
        def b(s, cursor):
            params = dict(limit=500)
            params.update(cursor=cursor)
            params.setdefault("sort", "-updatedAt")
            return s.get(URL, params=params)
        def c(s):
            return s.get(URL, params=[("limit", "250"), ("expand[]", "location")])
        def d(s, cursor):
            limit = 20
            return s.get(URL + f"?limit={limit}&cursor={cursor}", params={"statuses[]": "DONE"} | {"x": 1})
        """
    )
    assert [values(call) for call in calls] == [
        {"limit": 50, "statuses[]": "OPEN", "cursor": UNKNOWN},
        {"limit": 500, "cursor": UNKNOWN, "sort": UNKNOWN},
        {"limit": "250", "expand[]": "location"},
        {"limit": "20", "cursor": UNKNOWN, "statuses[]": "DONE", "x": 1},
    ]
    assert all(call.params_complete for call in calls)


def test_param_nodes_point_where_the_request_states_them() -> None:
    url = "https://api.getmaintainx.com/v1/users"
    call = only(f'import requests\nPAGE = 50\nrequests.get("{url}", params={{"limit": PAGE}})\n')
    assert isinstance(call.params["limit"].node, cst.Name)  # the use, not the constant's definition
    call = only(
        'import requests\nPAGE = 50\nrequests.get(f"https://api.getmaintainx.com/v1/users?limit={PAGE}")\n'
    )
    assert isinstance(call.params["limit"].node, cst.Name) and call.params["limit"].value == "50"
    call = only('import requests\nrequests.get("https://api.getmaintainx.com/v1/users?limit=20")\n')
    assert isinstance(call.params["limit"].node, cst.SimpleString)


@pytest.mark.parametrize(
    "request_line",
    [
        "s.get(URL, params=params)",  # a parameter
        "s.get(URL, params=build())",  # computed elsewhere
        "s.get(URL, **options)",
        'p = {"limit": 200}\n    p.update(extra)\n    s.get(URL, params=p)',
        "p = {}\n    p[key] = 1\n    s.get(URL, params=p)",
        's.get(URL + "?" + query)',
    ],
)
def test_hidden_params_make_the_set_incomplete(request_line: str) -> None:
    code = f"""
import requests
URL = "https://api.getmaintainx.com/v1/workorders"
def f(s, params, options, extra, key, query):
    {request_line}
"""
    assert not only(code).params_complete


def test_a_limit_bound_twice_or_passed_in_is_unknown() -> None:
    call = only(
        """
        import requests
        LIMIT = 50
        LIMIT = 60
        def f(s, size=25):
            return s.get("https://api.getmaintainx.com/v1/users", params={"limit": LIMIT, "other": size})
        """
    )
    assert values(call) == {"limit": UNKNOWN, "other": UNKNOWN}


# --- configuration -------------------------------------------------------------------------------


def test_configured_base_urls_and_client_wrappers() -> None:
    calls = analyse(
        """
        import requests
        from acme.mx import MaintainXClient, fetch
        from acme import mx
        def sync(client: MaintainXClient):
            requests.get("https://mx-proxy.internal/api/v1/purchaseorders")
            MaintainXClient().get("/workorders", params={"limit": 50})
            client.request("POST", "/workorders")
            fetch("/meters")
            mx.fetch(path="/v1/parts", method="patch")
            other.get("/workorders")
        """,
        CONFIGURED,
    )
    assert [(c.verb, c.path) for c in calls] == [
        ("GET", "/purchaseorders"),
        ("GET", "/workorders"),
        ("POST", "/workorders"),
        ("GET", "/meters"),
        ("PATCH", "/parts"),
    ]


def test_a_wrapper_class_defined_in_the_configured_module_itself() -> None:
    code = "class MaintainXClient:\n    pass\nMaintainXClient().get('/users')\n"
    assert analyse(code, CONFIGURED, relpath="src/acme/mx.py")[0].path == "/users"
    assert analyse(code, CONFIGURED, relpath="other/mx.py") == []


@pytest.mark.parametrize(
    ("relpath", "imports", "found"),
    [
        ("src/acme/sync.py", "from .mx import MaintainXClient", True),
        ("acme/jobs/sync.py", "from ..mx import MaintainXClient", True),
        ("src/acme/__init__.py", "from .mx import MaintainXClient", True),
        ("src/acme/sync.py", "from . import mx", True),
        ("src/other/sync.py", "from .mx import MaintainXClient", False),  # other.mx is not acme.mx
        ("acme/sync.py", "from .client import MaintainXClient", False),
    ],
)
def test_a_configured_wrapper_imported_relatively(relpath: str, imports: str, found: bool) -> None:
    use = "mx.MaintainXClient" if imports.endswith("import mx") else "MaintainXClient"
    code = f"{imports}\n{use}().get('/users')\n"
    assert bool(analyse(code, CONFIGURED, relpath=relpath)) is found


def test_trigger_matches_any_mention_of_maintainx_and_configured_names() -> None:
    default = trigger_pattern(Settings())
    assert default.search(b"from app.config import MAINTAINX_URL")
    assert default.search(b'URL = "https://api.getmaintainx.com/v1"')
    assert not default.search(b"import requests\nrequests.get(URL)")
    configured = trigger_pattern(CONFIGURED)
    assert configured.search(b"from acme.mx import fetch")
    assert configured.search(b'"https://mx-proxy.internal/api/v1"')
    # A trigger only filters: `prefetch()` may pass for the wrapper `fetch` (a parse, never a finding).
    assert not configured.search(b"import os\nos.getcwd()")
    with_limit = trigger_pattern(Settings(), also=("limit",))
    assert with_limit.search(b'limit = 5\n"getmaintainx.com"')
    assert not with_limit.search(b'"getmaintainx.com"')


def test_configured_wrappers_through_the_engine(lint) -> None:
    files = {
        "app/sync.py": textwrap.dedent(
            """
            from acme.mx import MaintainXClient

            def sync(client: MaintainXClient) -> list[dict]:
                return client.get("/workorders", params={"limit": 500}).json()["workOrders"]
            """
        )
    }
    config = Config(settings=CONFIGURED)
    result = lint(files, select=["MX301", "MX501"], config=config)
    assert sorted((f.rule_id, f.line) for f in result.findings) == [("MX301", 5), ("MX501", 5)]
    assert lint(files, select=["MX301", "MX501"]).findings == []  # not configured: not MaintainX


def test_test_files_are_not_checked(lint) -> None:
    code = 'import requests\nrequests.get("https://api.getmaintainx.com/v1/workorders?limit=5")\n'
    assert lint({"tests/test_sync.py": code}, select=["MX301", "MX501"]).findings == []
    assert len(lint({"app/sync.py": code}, select=["MX301", "MX501"]).findings) == 2

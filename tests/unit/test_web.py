"""The web route analysis (analysis/web.py) and the web rules' configuration."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mxlint.analysis.web import Service, WebRoutes, segments, service
from mxlint.checks.base import PythonContext
from mxlint.config import Config, Settings, WebSettings
from mxlint.model import FileKind
from mxlint.sources import python as python_source

from ..conftest import run_on, write_files


def analyse(code: str, path: str = "app.py", settings: Settings | None = None) -> PythonContext:
    data = textwrap.dedent(code).encode()
    context = PythonContext(path, FileKind.PYTHON, data, settings or Settings())
    context.attach(python_source.parse(data))
    return context


def routes(code: str, path: str = "app.py") -> list[tuple[str, str | None, list[str] | None, str | None]]:
    web: WebRoutes = analyse(code, path).analysis(WebRoutes)
    return [
        (
            route.framework,
            route.path,
            sorted(route.methods) if route.methods is not None else None,
            route.handler.node.name.value if route.handler else None,
        )
        for route in web.routes
    ]


def reads(code: str) -> list[tuple[str, str]]:
    context = analyse(code)
    web: WebRoutes = context.analysis(WebRoutes)
    found = []
    for route in web.routes:
        if route.handler is not None:
            for read in web.body_reads(route.handler, route):
                found.append((read.kind, context.module.code_for_node(read.node).strip(", \n")))
    return found


def test_fastapi_decorators_prefixes_and_registrations() -> None:
    assert routes(
        """
        from fastapi import APIRouter, FastAPI
        import fastapi as fa

        app = FastAPI()
        router = fa.APIRouter(prefix="/hooks")
        PATH = "/ready"

        @app.get("/health")
        def health(): ...

        @router.post("/maintainx")
        async def receive(): ...

        @app.api_route("/any", methods=["POST", "put"])
        async def anything(): ...

        def ready(): ...

        app.add_api_route(PATH, ready)
        """
    ) == [
        ("fastapi", "/health", ["GET"], "health"),
        ("fastapi", "/hooks/maintainx", ["POST"], "receive"),
        ("fastapi", "/any", ["POST", "PUT"], "anything"),
        ("fastapi", "/ready", ["GET"], "ready"),
    ]


def test_flask_routes_blueprints_and_url_rules() -> None:
    assert routes(
        """
        from flask import Blueprint, Flask

        app = Flask(__name__)
        bp = Blueprint("hooks", __name__, url_prefix="/hooks")

        @app.route("/healthz")
        def healthz(): ...

        @bp.route("/maintainx", methods=["POST"])
        def receive(): ...

        def ready(): ...

        app.add_url_rule("/readyz", view_func=ready)
        """
    ) == [
        ("flask", "/healthz", ["GET"], "healthz"),
        ("flask", "/hooks/maintainx", ["POST"], "receive"),
        ("flask", "/readyz", ["GET"], "ready"),
    ]


def test_aiohttp_route_tables_adders_and_class_views() -> None:
    assert routes(
        """
        from aiohttp import web

        routes = web.RouteTableDef()

        @routes.post("/webhooks/maintainx")
        async def receive(request): ...

        async def health(request): ...

        class Orders(web.View):
            async def get(self): ...
            async def post(self): ...

        app = web.Application()
        app.router.add_get("/health", health)
        app.router.add_route("*", "/any", health)
        app.add_routes([web.view("/orders", Orders)])
        """
    ) == [
        ("aiohttp", "/webhooks/maintainx", ["POST"], "receive"),
        ("aiohttp", "/health", ["GET"], "health"),
        ("aiohttp", "/any", None, "health"),
        ("aiohttp", "/orders", ["GET"], "get"),
        ("aiohttp", "/orders", ["POST"], "post"),
    ]


def test_starlette_routes() -> None:
    assert routes(
        """
        from starlette.applications import Starlette
        from starlette.routing import Route

        async def hook(request): ...

        app = Starlette(routes=[Route("/webhook", hook, methods=["POST"]), Route("/ready", hook)])
        """
    ) == [("starlette", "/webhook", ["POST"], "hook"), ("starlette", "/ready", ["GET"], "hook")]


def test_django_urls_and_views_routed_elsewhere() -> None:
    assert routes(
        """
        from django.urls import include, path, re_path

        from orders import views

        urlpatterns = [
            path("health/", views.health),
            re_path(r"^readyz/?$", views.ready),
            path("ht/", include("health_check.urls")),
        ]
        """,
        "project/urls.py",
    ) == [
        ("django", "/health/", None, None),
        ("django", "/readyz/?$", None, None),
        ("django", "/ht/", None, None),
    ]
    assert routes(
        """
        from django.http import JsonResponse
        from django.views import View
        from django.views.decorators.http import require_POST

        @require_POST
        def receive(request): ...

        def health(request): ...

        def helper(data, more): ...

        class Orders(View):
            def post(self, request): ...
        """,
        "orders/views.py",
    ) == [
        ("django", None, ["POST"], "post"),
        ("django", None, ["POST"], "receive"),
        ("django", None, None, "health"),
    ]


@pytest.mark.parametrize(
    ("path", "code", "expected"),
    [
        (  # a FastAPI dependency that verifies the signature: it takes the request, it is no route
            "app/security.py",
            """
            from fastapi import HTTPException, Request

            async def verify_maintainx_signature(request: Request) -> bytes:
                body = await request.body()
                if not request.headers.get("x-maintainx-webhook-body-signature"):
                    raise HTTPException(401)
                return body
            """,
            [],
        ),
        (  # a Django helper module: request-first functions that answer with no response
            "hooks/utils.py",
            """
            import json

            from django.http import HttpResponseForbidden

            def verify_maintainx(request):
                return bool(request.headers.get("x-maintainx-webhook-body-signature"))

            def payload(request):
                return json.loads(request.body)

            def forbid_unsigned(request):
                if not request.headers.get("x-maintainx-webhook-body-signature"):
                    return HttpResponseForbidden()
            """,
            [],
        ),
        (  # a Django view outside views.py: it answers with a response on every path
            "hooks/webhooks.py",
            """
            import json

            from django.http import HttpResponse, JsonResponse

            def maintainx(request):
                try:
                    event = json.loads(request.body)
                except ValueError:
                    return HttpResponse(status=400)
                response = JsonResponse({"id": event["workOrderId"]})
                return response
            """,
            [("django", None, None, "maintainx")],
        ),
        (  # views modules hold views, whatever they return; private helpers are not views
            "hooks/views/maintainx.py",
            """
            from django.views.decorators.csrf import csrf_exempt

            def receive(request): ...

            def _client_ip(request):
                return request.META["REMOTE_ADDR"]
            """,
            [("django", None, None, "receive")],
        ),
        (  # aiohttp handlers registered in main.py: they answer with web responses
            "svc/handlers.py",
            """
            from aiohttp import web

            async def receive(request: web.Request):
                if not await request.read():
                    raise web.HTTPBadRequest()
                return web.json_response({})

            async def status(request: web.Request) -> web.Response: ...

            async def verify(request: web.Request) -> bytes:
                return await request.read()
            """,
            [("aiohttp", None, None, "receive"), ("aiohttp", None, None, "status")],
        ),
    ],
)
def test_a_request_parameter_alone_makes_no_view(
    path: str, code: str, expected: list[tuple[str, None, None, str]]
) -> None:
    assert routes(code, path) == expected


def test_an_imported_router_counts_only_with_a_path_literal() -> None:
    assert routes(
        """
        from fastapi import Depends
        from app.routers import router, cache

        @router.post("/orders")
        def create(): ...

        @cache.get("key")
        def cached(): ...
        """
    ) == [("fastapi", "/orders", ["POST"], "create")]


def test_no_framework_no_routes() -> None:
    assert routes("@app.get('/health')\ndef health(): ...\n") == []


def test_body_reads_per_framework() -> None:
    assert reads(
        """
        import json
        import flask
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/a")
        def a():
            return request.get_json(), request.json, flask.request.get_data(), request.form

        @app.post("/b")
        def b():
            raw = request.get_data()
            return json.loads(raw)
        """
    ) == [
        ("json", "request.get_json()"),
        ("json", "request.json"),
        ("raw", "flask.request.get_data()"),
        ("form", "request.form"),
        ("json", "json.loads(raw)"),
        ("raw", "request.get_data()"),
    ]
    assert reads(
        """
        from fastapi import Body, FastAPI, Header, Request
        from app.models import Order

        app = FastAPI()

        @app.post("/a")
        async def a(
            request: Request, order: Order, extra: dict, raw: dict = Body(...), q: str = "", h: str = Header()
        ):
            return await request.json(), await request.body()
        """
    ) == [
        ("json", "extra: dict"),
        ("json", "raw: dict = Body(...)"),
        ("json", "request.json()"),
        ("model", "order: Order"),
        ("raw", "request.body()"),
    ]


def test_fastapi_dependencies_are_not_body_parameters_unless_named_so() -> None:
    assert reads(
        """
        from typing import Annotated

        from fastapi import Depends, FastAPI, Query

        from app.db import get_db
        from app.security import verified_event, webhook_payload

        app = FastAPI()

        def local_body() -> dict: ...

        @app.post("/a")
        async def a(
            *,
            event: dict = Depends(verified_event),
            data: Annotated[dict, Depends(webhook_payload)],
            db: dict = Depends(get_db),
            user: Annotated[dict, Depends(get_db)],
            tags: Annotated[dict, Query()],
            body: dict = Depends(local_body),
        ):
            return {}
        """
    ) == [
        ("dependency", "event: dict = Depends(verified_event)"),
        ("dependency", "data: Annotated[dict, Depends(webhook_payload)]"),
    ]


def test_a_body_from_an_imported_dependency_makes_a_delegated_webhook() -> None:
    code = """
        from typing import Annotated

        from fastapi import Depends, FastAPI

        from app.db import get_db
        from app.security import verified_event

        app = FastAPI()

        @app.post("/webhooks/maintainx")
        async def maintainx_webhook(event: dict = Depends(verified_event)):
            return {}

        @app.post("/maintainx/events")
        async def annotated(event: Annotated[dict, Depends(verified_event)]):
            return {}

        @app.post("/maintainx/resync")
        async def resync(db=Depends(get_db)):
            return {}
        """
    web: WebRoutes = analyse(code).analysis(WebRoutes)
    hooks = web.webhooks()
    assert [(hook.handler.node.name.value, hook.delegated) for hook in hooks] == [
        ("maintainx_webhook", True),
        ("annotated", True),
    ]


def test_configured_functions_count_as_fastapi_dependencies(tmp_path: Path) -> None:
    code = """
        from fastapi import Depends, FastAPI, Request

        from app.security import verify_maintainx_signature
        from app.store import reject_redeliveries

        app = FastAPI()

        @app.post(
            "/webhooks/maintainx",
            dependencies=[Depends(verify_maintainx_signature), Depends(reject_redeliveries)],
        )
        async def maintainx_webhook(request: Request):
            return await request.json()
        """
    files = {"app/main.py": code}
    assert _lint(tmp_path, files, "MX303", WebSettings()) == ["app/main.py:13"]
    assert (
        _lint(tmp_path, files, "MX303", WebSettings(signature_verifiers=("verify_maintainx_signature",)))
        == []
    )
    assert _lint(tmp_path, files, "MX302", WebSettings()) == ["app/main.py:13"]
    assert _lint(tmp_path, files, "MX302", WebSettings(dedupe_functions=("reject_redeliveries",))) == []


def test_webhooks_are_identified_by_header_path_name_or_configuration() -> None:
    code = """
        from flask import Flask, request

        app = Flask(__name__)  # MaintainX events

        @app.post("/hooks/work-orders")
        def by_hook_in_a_maintainx_file():
            return request.get_json()

        @app.post("/events")
        def maintainx_events():
            return request.get_data()

        @app.post("/plain")
        def by_header():
            return request.headers["X-MaintainX-Webhook-Body-Signature"]

        @app.post("/maintainx/resync")
        def reads_no_body():
            return ""

        @app.get("/maintainx/webhook")
        def not_a_post():
            return request.get_json()

        @app.post("/inbox/mx")
        def configured():
            return ""
        """
    settings = Settings(web=WebSettings(webhook_paths=("/inbox/*",)))
    web: WebRoutes = analyse(code, settings=settings).analysis(WebRoutes)
    assert [hook.handler.node.name.value for hook in web.webhooks()] == [
        "by_hook_in_a_maintainx_file",
        "maintainx_events",
        "by_header",
        "configured",
    ]


def test_service_facts() -> None:
    context = analyse(
        """
        from fastapi import FastAPI

        def make(): ...

        app = FastAPI()

        @app.get("/api/healthz")
        def healthz(): ...

        @app.get("/metrics")
        def metrics(): ...
        """
    )
    assert service(context) == Service(6, True, True, False, True, False)  # code starts on line 2
    assert service(analyse("import fastapi\n")) is None
    assert segments("^ready/?$") == ["ready"]


def _lint(tmp_path: Path, files: dict[str, str], select: str, web: WebSettings) -> list[str]:
    write_files(tmp_path, {name: textwrap.dedent(text) for name, text in files.items()})
    result = run_on(tmp_path, select=[select], config=Config(settings=Settings(web=web)))
    return [f"{finding.path}:{finding.line}" for finding in result.findings]


HOOK = """
    from flask import Flask, request

    from acme.hooks import check_signature, first_delivery, parse_event

    app = Flask(__name__)

    @app.post("/webhooks/maintainx")
    def receive():
        check_signature(request)
        event = parse_event(request.get_json())
        first_delivery(event)
        return ""
    """


@pytest.mark.parametrize(
    ("rule", "web"),
    [
        ("MX303", WebSettings(signature_verifiers=("acme.hooks.check_signature",))),
        ("MX302", WebSettings(dedupe_functions=("first_delivery",))),
        ("MX111", WebSettings(validators=("acme.hooks.parse_event",))),
    ],
)
def test_configured_wrappers_silence_the_rules(tmp_path: Path, rule: str, web: WebSettings) -> None:
    assert _lint(tmp_path, {"app.py": HOOK}, rule, WebSettings()) != []
    assert _lint(tmp_path, {"app.py": HOOK}, rule, web) == []


DECORATED_HOOK = """
    from flask import Flask, request

    from .security import require_maintainx_signature
    from .store import once_per_delivery, validated

    app = Flask(__name__)

    @app.post("/webhooks/maintainx")
    @require_maintainx_signature
    @once_per_delivery
    @validated
    def receive():
        return {"id": request.get_json()["workOrderId"]}
    """


@pytest.mark.parametrize(
    ("rule", "web"),
    [
        ("MX303", WebSettings(signature_verifiers=("hooks.security.require_maintainx_signature",))),
        ("MX302", WebSettings(dedupe_functions=("once_per_delivery",))),
        ("MX111", WebSettings(validators=("validated",))),
    ],
)
def test_configured_functions_count_as_bare_decorators(tmp_path: Path, rule: str, web: WebSettings) -> None:
    files = {"hooks/__init__.py": "", "hooks/app.py": DECORATED_HOOK}
    assert _lint(tmp_path, files, rule, WebSettings()) != []
    assert _lint(tmp_path, files, rule, web) == []


def test_configured_probe_paths_and_metrics_modules(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "flask\n",
        "app.py": """
            from flask import Flask

            from acme import metrics

            app = Flask(__name__)

            @app.get("/ping")
            def ping(): ...

            @app.get("/status/ready")
            def status(): ...
            """,
    }
    assert _lint(tmp_path, files, "MX404", WebSettings()) == ["app.py:6"]
    assert _lint(tmp_path, files, "MX404", WebSettings(health_paths=("/ping",))) == []
    assert _lint(tmp_path, files, "MX405", WebSettings()) == []
    assert _lint(tmp_path, files, "MX406", WebSettings()) == ["app.py:6"]
    assert _lint(tmp_path, files, "MX406", WebSettings(metrics_modules=("acme.metrics",))) == []


def test_live_and_ready_under_a_blueprint_prefix_are_probes(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "flask\n",
        "app.py": """
            from flask import Blueprint, Flask

            ops = Blueprint("ops", __name__, url_prefix="/ops")

            @ops.get("/live")
            def live(): ...

            @ops.get("/ready")
            def ready(): ...

            app = Flask(__name__)
            app.register_blueprint(ops)
            """,
    }
    assert _lint(tmp_path, files, "MX404", WebSettings()) == []
    assert _lint(tmp_path, files, "MX405", WebSettings()) == []


@pytest.mark.parametrize(
    ("statement", "flagged"),
    [
        ("import acme.metrics", False),
        ("import acme.metrics as m", False),
        ("import acme.metrics.flask", False),
        ("from acme import metrics", False),
        ("from acme.metrics import instrument", False),
        ("import acme", True),
        ("import acme.metricsx", True),
        ("import opentelemetry.metrics", False),
        ("import opentelemetry.trace", True),
    ],
)
def test_metrics_modules_match_every_import_form(tmp_path: Path, statement: str, flagged: bool) -> None:
    app = f"{statement}\nfrom flask import Flask\n\napp = Flask(__name__)\napp.add_url_rule('/x', 'x', str)\n"
    files = {"requirements.txt": "flask\n", "app.py": app}
    found = _lint(tmp_path, files, "MX406", WebSettings(metrics_modules=("acme.metrics",)))
    assert found == (["app.py:4"] if flagged else [])


def test_project_rules_are_skipped_for_files_scope(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n@app.get('/x')\ndef x(): ...\n"}
    )
    assert run_on(tmp_path, ["app.py"], select=["MX404"], scope="auto").findings == []
    assert [f.rule_id for f in run_on(tmp_path, select=["MX404"]).findings] == ["MX404"]


def _findings(tmp_path: Path, code: str, rule: str) -> list[str]:
    return _lint(tmp_path, {"app.py": code}, rule, WebSettings())


VERIFY = """
    import hashlib
    import hmac
    from datetime import datetime, timedelta, timezone

    from flask import Flask, request

    app = Flask(__name__)

    @app.post("/webhooks/maintainx")
    def receive():
        body = request.get_data()
        header = request.headers["x-maintainx-webhook-body-signature"]
        fields = dict(p.split("=", 1) for p in header.split(","))
        mac = hmac.new(b"k", fields["t"].encode() + b"." + body, digestmod="{digest}")
        if not hmac.compare_digest(mac.hexdigest(), fields["v1"]):
            return "", 401
        sent = datetime.fromtimestamp(int(fields["t"]), timezone.utc)
        {tolerance}
        return "", 204
    """


@pytest.mark.parametrize(
    ("digest", "tolerance", "flagged"),
    [
        ("sha256", "if sent < datetime.now(timezone.utc) - timedelta(minutes=5): return '', 401", False),
        (
            "SHA256",
            "now = datetime.now(timezone.utc)\n        if now - sent > timedelta(minutes=5): return '', 401",
            False,
        ),
        ("sha256", "pass", True),
        ("md5", "if sent < datetime.now(timezone.utc) - timedelta(minutes=5): return '', 401", True),
    ],
)
def test_signature_digest_and_tolerance(tmp_path: Path, digest: str, tolerance: str, flagged: bool) -> None:
    code = VERIFY.replace("{digest}", digest).replace("{tolerance}", tolerance)
    assert bool(_findings(tmp_path, code, "MX303")) is flagged


DEDUPE = """
    from flask import Flask, request

    app = Flask(__name__)

    @app.post("/webhooks/maintainx")
    def receive():
        event = request.get_json()
        {check}
        return "", 204
    """


@pytest.mark.parametrize(
    ("check", "flagged"),
    [
        ("if redis.set(f\"{event['workOrderId']}:{event['occurredAt']}\", 1, nx=True): handle(event)", False),
        ("if event['occurredAt'] in processed_keys: return ''", False),
        ("if mark_processed(event): handle(event)", False),
        ("if not cache.add(f\"mx:{event['occurredAt']}\", 1, timeout=86400): return ''", False),
        ("if cache.get(event['occurredAt']): return ''\n        cache.set(event['occurredAt'], 1)", False),
        (
            "try:\n            deliveries.insert_one({'_id': f\"{event['id']}:{event['occurredAt']}\"})"
            "\n        except (DuplicateKeyError, ValueError):\n            return ''",
            False,
        ),
        (
            "try:\n            Delivery.objects.create(key=event['occurredAt'])"
            "\n        except db.IntegrityError:\n            return ''",
            False,
        ),
        ("cache.add(f\"mx:{event['occurredAt']}\", 1)\n        handle(event)", True),
        (
            "try:\n            Delivery.objects.create(key=event['occurredAt'])"
            "\n        except ValueError:\n            return ''",
            True,
        ),
        ("if 'occurredAt' in event: handle(event)", True),
        ("if event['newStatus'] in ('DONE', 'CANCELED'): handle(event)", True),
        ("handle(event)", True),
    ],
)
def test_dedupe_evidence(tmp_path: Path, check: str, flagged: bool) -> None:
    assert bool(_findings(tmp_path, DEDUPE.replace("{check}", check), "MX302")) is flagged


OTHER_SENDERS = """
    import os

    import requests
    import stripe
    from flask import Flask, request

    app = Flask(__name__)
    MAINTAINX = "https://api.getmaintainx.com/v1"
    SLACK = "https://hooks.slack.com/services/T000/B000/XXXX"

    @app.post("/webhooks/stripe")
    def stripe_webhook():
        event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], "whsec")
        requests.post(f"{MAINTAINX}/workorders", json={"title": event["type"]}, timeout=30)
        return "", 204

    @app.post("/hooks/payments")
    def payments_hook():
        signature = request.headers["X-Hub-Signature-256"]
        return signature, 204

    @app.post("/hooks/work-orders")
    def work_order_hook():
        event = request.get_json()
        requests.post(SLACK, json={"text": str(event["workOrderId"])}, timeout=10)
        return "", 204
    """


@pytest.mark.parametrize("rule", ["MX302", "MX303"])
def test_another_senders_hook_is_no_maintainx_webhook(tmp_path: Path, rule: str) -> None:
    # Named for Stripe, or reading another sender's signature header: not MaintainX's. A hook that
    # forwards to Slack is still MaintainX's: only the route's name and the headers it reads count.
    assert _lint(tmp_path, {"app.py": OTHER_SENDERS}, rule, WebSettings()) == ["app.py:24"]

"""Every answer carries the security headers: each web and API route (walked from the app's
own route table, so a new route is covered without editing this file), every static file,
and the error answers: 401/303, 403, 404, 405, 422 and an unhandled 500."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.web.app import STATIC, create_app
from tests.e2e.web.test_auth import _account_tables

REQUIRED_CSP = (
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "script-src 'self'",
)


def assert_secured(r, what: str) -> None:
    h = r.headers
    csp = h.get("content-security-policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, (what, r.status_code, csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, what
    assert h.get("x-content-type-options") == "nosniff", (what, r.status_code)
    assert h.get("referrer-policy") in {"same-origin", "no-referrer", "strict-origin"}, what
    assert h.get("x-frame-options") == "DENY", what
    # Each header once: a second, looser copy would let a browser pick either.
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert len(h.get_list(name)) == 1, (what, name)


def _routes(routes: list, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route of the app and of the API mounted in it. FastAPI 0.16x
    keeps included routers as `_IncludedRouter` entries; older ones flatten them."""
    for route in routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            yield from _routes(route.app.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted(route.methods or ()):
                yield method, prefix + route.path
        elif hasattr(route, "original_router"):
            inner = prefix + getattr(route.include_context, "prefix", "")
            yield from _routes(route.original_router.routes, inner)


def _fill(path: str, key: str) -> str:
    values = {
        "key": key,
        "project_id": key,
        "uid": "1",
        "task_id": "1",
        "action": "indent",
        "link_id": "1-2",
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def _walk(web_app: FastAPI, client: TestClient, key: str) -> int:
    seen = 0
    for method, path in _routes(web_app.routes):
        url = _fill(path, key)
        r = client.request(method, url, follow_redirects=False)
        assert_secured(r, f"{method} {path} -> {url}")
        seen += 1
    return seen


@pytest.fixture
def open_app(database_file: Path) -> Iterator[tuple[FastAPI, TestClient]]:
    app = build(Settings(database_url=f"sqlite:///{database_file}"))
    web = create_app(app)
    with TestClient(web, raise_server_exceptions=False) as c:
        yield web, c
    app.dispose()


def test_every_route_without_sign_in(open_app):
    web, client = open_app
    key = client.post("/api/v1/projects", json={"name": "Headers"}).json()["key"]
    client.post(f"/api/v1/projects/{key}/tasks", json={"name": "One"})
    assert _walk(web, client, key) >= 35


@pytest.fixture(scope="module")
def locked(
    tmp_path_factory: pytest.TempPathFactory, migrated_template: Path
) -> Iterator[tuple[FastAPI, TestClient]]:
    path = tmp_path_factory.mktemp("headers") / "steerco.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    _account_tables(url)
    app = build(Settings(database_url=url))
    web = create_app(app, require_auth=True)
    with TestClient(web, raise_server_exceptions=False) as c:
        yield web, c
    app.dispose()


def test_every_route_anonymously_with_sign_in_on(locked):
    # 303 to the sign-in page, 401 problem+json from the API: still with every header.
    web, client = locked
    assert _walk(web, client, "ANY") >= 35


def test_every_static_file(open_app):
    _, client = open_app
    files = [p for p in STATIC.rglob("*") if p.is_file()]
    assert len(files) >= 4
    for file in files:
        url = "/static/" + file.relative_to(STATIC).as_posix()
        r = client.get(url)
        assert r.status_code == 200, url
        assert_secured(r, url)
    assert_secured(client.get("/static/nope.js"), "missing static file")
    assert_secured(client.get("/static/../pyproject.toml"), "static traversal")


def test_error_answers(open_app):
    _, client = open_app
    cases = {
        "404 page": client.get("/no/such/page"),
        "404 project": client.get("/projects/NOPE"),
        "404 api": client.get("/api/v1/projects/NOPE"),
        "405": client.delete("/"),
        "422 form": client.post("/projects", data={}),
        "422 api": client.post("/api/v1/projects", json={"name": 5}),
        "400 api": client.post(
            "/api/v1/projects", content=b"{not json", headers={"content-type": "application/json"}
        ),
        "403 cross-site": client.post(
            "/projects", data={"name": "x"}, headers={"Sec-Fetch-Site": "cross-site"}
        ),
        "HEAD": client.head("/"),
        "OPTIONS api": client.options("/api/v1/projects"),
    }
    for what, r in cases.items():
        assert r.status_code >= 200, what
        assert_secured(r, what)
    assert cases["404 page"].status_code == 404 and cases["405"].status_code == 405
    assert cases["403 cross-site"].status_code == 403


def test_unhandled_error_500_still_has_the_headers(database_file: Path):
    app = build(Settings(database_url=f"sqlite:///{database_file}"))
    web = create_app(app)

    def boom() -> None:
        raise RuntimeError("a bug")

    web.add_api_route("/boom", boom)
    api = next(r.app for r in web.routes if isinstance(r, Mount) and r.path == "/api/v1")
    api.add_api_route("/boom", boom)
    try:
        with TestClient(web, raise_server_exceptions=False) as client:
            for url in ("/boom", "/api/v1/boom"):
                r = client.get(url)
                assert r.status_code == 500, url
                assert "a bug" not in r.text and "Traceback" not in r.text, url
                assert_secured(r, url)
    finally:
        app.dispose()


def test_no_inline_script_in_any_template():
    # CSP script-src 'self' without 'unsafe-inline': an inline script or handler would be
    # blocked in the browser, so none may exist (htmx's own eval is turned off in base.html).
    templates = Path(STATIC).parent / "templates"
    for file in templates.glob("*.html"):
        text = file.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), file.name
        assert not re.search(r"\son[a-z]+\s*=", text), file.name
        assert "javascript:" not in text and " style=" not in text, file.name
        assert "hx-on" not in text and "hx-vals='js:" not in text, file.name
    assert '"allowEval":false' in (templates / "base.html").read_text()


def test_sign_in_page_is_secured(locked):
    _, client = locked
    assert_secured(client.get("/sign-in"), "sign-in")
    r = client.post("/sign-in", data={"email": "x@example.org", "password": "wrong password"})
    assert_secured(r, "failed sign-in")

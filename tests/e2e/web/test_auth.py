"""Sign-in, sessions, CSRF and API tokens, with `require_auth` on (SECURITY.md: sessions,
CSRF synchronizer token, open redirects, routes reachable without a session)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steerco.bootstrap import App, build
from steerco.config import Settings
from steerco.domain.accounts import Scope
from steerco.services.accounts import LOCAL, create_user
from steerco.services.accounts_tokens import create_token
from steerco.web.app import create_app

EMAIL, PASSWORD = "ann@example.org", "correct horse battery staple"


def _account_tables(url: str) -> None:
    # Until the accounts tables are in the migrations (as in the services' own tests).
    from steerco.storage.accounts_schema import ACCOUNT_TABLES
    from steerco.storage.db import make_engine
    from steerco.storage.schema import Base

    engine = make_engine(url)
    try:
        tables = [Base.metadata.tables[name] for name in ACCOUNT_TABLES]
        Base.metadata.create_all(engine, tables=tables, checkfirst=True)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def steerco(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[App]:
    # One database for the module: hashing a password (argon2id) is slow on purpose.
    path = tmp_path_factory.mktemp("auth") / "steerco.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    _account_tables(url)
    app = build(Settings(database_url=url))
    create_user(app.uow, EMAIL, PASSWORD, now=datetime.now(UTC))
    yield app
    app.dispose()


@pytest.fixture
def web(steerco: App) -> Iterator[TestClient]:
    with TestClient(create_app(steerco, require_auth=True)) as c:
        yield c


def _sign_in(web: TestClient) -> str:
    r = web.post(
        "/sign-in", data={"email": EMAIL, "password": PASSWORD, "next": "/"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    page = web.get("/").text
    return page.split('name="csrf-token" content="')[1].split('"')[0]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/import",
        "/projects/X",
        "/projects/X/tasks",
        "/projects/X/gantt",
        "/projects/X/gantt.json",
        "/projects/X/tasks/1",
        "/projects/X/export",
    ],
)
def test_pages_need_a_session(web, path):
    r = web.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/sign-in?next=")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/projects"),
        ("POST", "/api/v1/projects"),
        ("GET", "/api/v1/projects/X"),
        ("PATCH", "/api/v1/projects/X"),
        ("DELETE", "/api/v1/projects/X"),
        ("GET", "/api/v1/projects/X/tasks"),
        ("POST", "/api/v1/projects/X/tasks"),
        ("PATCH", "/api/v1/projects/X/tasks/1"),
        ("DELETE", "/api/v1/projects/X/tasks/1"),
        ("GET", "/api/v1/projects/X/dependencies"),
        ("GET", "/api/v1/projects/X/schedule"),
        ("GET", "/api/v1/projects/X/export"),
        ("POST", "/api/v1/projects/import"),
    ],
)
def test_api_needs_a_credential(web, method, path):
    r = web.request(method, path, json={} if method in ("POST", "PATCH") else None)
    assert r.status_code == 401, (method, path, r.status_code)
    assert r.headers["content-type"] == "application/problem+json"


def test_public_routes(web):
    assert web.get("/sign-in").status_code == 200
    assert web.get("/static/app.css").status_code == 200
    assert web.get("/api/v1/openapi.json").status_code == 200


def test_wrong_password_is_refused(web):
    r = web.post("/sign-in", data={"email": EMAIL, "password": "wrong password!!"})
    assert r.status_code == 401 and "wrong email or password" in r.text
    assert "set-cookie" not in r.headers


def test_session_and_csrf(web):
    token = _sign_in(web)
    assert token
    assert web.get("/").status_code == 200
    # An unsafe request without the session's token is refused, and changes nothing.
    r = web.post("/projects", data={"name": "No token"}, follow_redirects=False)
    assert r.status_code == 403
    r = web.post(
        "/projects", data={"name": "Wrong", "csrf_token": "0" * 64}, follow_redirects=False
    )
    assert r.status_code == 403
    r = web.post(
        "/projects", data={"name": "Office move", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    r = web.post("/api/v1/projects", json={"name": "Via htmx"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    names = {p["name"] for p in web.get("/api/v1/projects").json()}
    assert {"Office move", "Via htmx"} <= names and not {"No token", "Wrong"} & names


def test_sign_out_ends_the_session(web):
    token = _sign_in(web)
    r = web.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert web.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "https:evil.example",
    ],
)
def test_no_open_redirect_after_sign_in(web, target):
    r = web.post(
        "/sign-in",
        data={"email": EMAIL, "password": PASSWORD, "next": target},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_bearer_tokens_follow_their_scope(web, steerco):
    now = datetime.now(UTC)
    read = create_token(
        steerco.uow, EMAIL, now=now, scope=Scope.READ, lifetime=timedelta(days=1), actor=LOCAL
    )
    write = create_token(
        steerco.uow, EMAIL, now=now, scope=Scope.WRITE, lifetime=timedelta(days=1), actor=LOCAL
    )
    as_reader = {"Authorization": f"Bearer {read.token}"}
    as_writer = {"Authorization": f"Bearer {write.token}"}
    assert web.get("/api/v1/projects", headers=as_reader).status_code == 200
    r = web.post("/api/v1/projects", json={"name": "Nope"}, headers=as_reader)
    assert r.status_code == 403
    r = web.post("/api/v1/projects", json={"name": "Yes"}, headers=as_writer)
    assert r.status_code == 201
    bad = {"Authorization": "Bearer stc_" + "A" * 43}
    assert web.get("/api/v1/projects", headers=bad).status_code == 401

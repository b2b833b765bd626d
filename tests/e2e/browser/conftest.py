"""Browser tests: the real app on a free loopback port, driven through Debian's chromium.

Playwright's own browser download cannot run here (nor on a bare CI machine), so the
fixture installs Debian's chromium with apt-get when it is missing and we are root."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "pm@example.org", "a long and honest passphrase"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("no /usr/bin/chromium and cannot install it (not root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    database_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from datetime import UTC, datetime

    import uvicorn

    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.services.accounts import create_user
    from steerco.storage import migrate
    from steerco.web.app import create_app
    from tests.e2e.web.test_auth import _account_tables

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'steerco.db'}"
    migrate.upgrade(url)
    _account_tables(url)
    app = build(Settings(database_url=url))
    create_user(app.uow, EMAIL, PASSWORD, now=datetime.now(UTC))
    port = _free_port()
    web = create_app(app, require_auth=True)
    config = uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", url)
    srv.should_exit = True
    thread.join(10)
    app.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 860})
    p = context.new_page()
    # Sign in as a person would: every test starts from the sign-in page.
    p.goto(server.url + "/")
    p.get_by_label("Email").fill(EMAIL)
    p.get_by_label("Password").fill(PASSWORD)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_url(server.url + "/")
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.set_default_timeout(10_000)
    yield p
    context.close()
    # A CSP violation or a script error shows up here: the pages must run clean.
    assert not [e for e in errors if "status of 4" not in e], errors


def import_for_user(server: Server, xml: bytes, role: str = "member") -> str:
    """Import `xml` into the server's database and give the signed-in user `role` in it;
    returns the new project's key."""
    from datetime import UTC, datetime

    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.domain.accounts import Role
    from steerco.services.accounts import LOCAL
    from steerco.services.accounts_members import add_member
    from steerco.services.interop import import_plan

    app = build(Settings(database_url=server.database_url))
    try:
        stored = import_plan(app.uow, xml, max_bytes=1_000_000, actor=LOCAL)
        add_member(app.uow, LOCAL, stored.key, EMAIL, Role(role), now=datetime.now(UTC))
    finally:
        app.dispose()
    return stored.key

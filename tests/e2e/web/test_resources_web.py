"""Adding and changing resources from the project's Resources page. The forms post with
htmx (a refused change is a message on the page, a done one reloads it) and work as plain
forms without JavaScript (303 back to the page)."""

from __future__ import annotations

import re

HX = {"HX-Request": "true"}


def _key(client, plan) -> str:
    return client.get(f"/api/v1/projects/{plan}").json()["key"]


def _api(client, plan) -> list[dict]:
    return client.get(f"/api/v1/projects/{plan}/resources").json()


def test_add_and_change_a_resource_from_the_resources_page(client, plan) -> None:
    key = _key(client, plan)
    page = client.get(f"/projects/{key}/resources").text
    assert "No resources yet." in page and "Add a resource" in page

    r = client.post(
        f"/projects/{key}/resources",
        data={"name": "Ana", "max_units": "100%", "email": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/projects/{key}/resources"
    page = client.get(r.headers["location"]).text
    (uid,) = re.findall(rf'action="/projects/{key}/resources/(\d+)"', page)
    assert 'name="can_level" value="on" checked' in page and "not leveled" not in page

    # The row's whole form, the box unticked: max units halve and Can Level goes off.
    r = client.post(
        f"/projects/{key}/resources/{uid}",
        data={"name": "Ana Lima", "max_units": "50%", "email": "ana@example.com"},
        headers=HX,
    )
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/projects/{key}/resources"
    (ana,) = _api(client, plan)
    assert (ana["name"], ana["max_units"], ana["email"], ana["can_level"]) == (
        "Ana Lima", 0.5, "ana@example.com", False,
    )  # fmt: skip
    page = client.get(f"/projects/{key}/resources").text
    assert "not leveled" in page and 'value="50%"' in page

    r = client.post(
        f"/projects/{key}/resources/{uid}",
        data={"name": "Ana Lima", "max_units": "50%", "email": "", "can_level": "on"},
    )
    assert r.status_code == 200 and "not leveled" not in r.text  # followed back to the page
    assert _api(client, plan)[0]["can_level"] is True


def test_a_refused_change_is_a_message_and_changes_nothing(client, plan) -> None:
    key = _key(client, plan)
    for name in ("Ana", "Bob"):
        client.post(f"/api/v1/projects/{plan}/resources", json={"name": name})
    before = _api(client, plan)
    for url, data, status, message in [
        (f"/projects/{key}/resources/1", {"name": "bob", "max_units": "100%"}, 422, "already"),
        (f"/projects/{key}/resources/1", {"name": "Ana", "max_units": "lots"}, 422, "not units"),
        (f"/projects/{key}/resources/1", {"name": "", "max_units": "100%"}, 422, "name"),
        (f"/projects/{key}/resources/9", {"name": "Cy", "max_units": "100%"}, 404, "no resource"),
        (f"/projects/{key}/resources", {"name": "ANA"}, 422, "already"),
    ]:
        r = client.post(url, data=data, headers=HX)
        assert r.status_code == status, (url, data, r.text[:300])
        # Inline: a message fragment aimed at the page's message area, not a new page.
        assert r.headers["HX-Retarget"] == "#messages" and message in r.text, r.text
        assert "<html" not in r.text
    assert _api(client, plan) == before


def test_remove_a_resource_from_the_resources_page(client, plan) -> None:
    key = _key(client, plan)
    for name in ("Ana", "Bob"):
        client.post(f"/api/v1/projects/{plan}/resources", json={"name": name})
    client.post(f"/api/v1/projects/{plan}/assignments", json={"task": "1", "resource": "Ana"})
    page = client.get(f"/projects/{key}/resources").text
    assert 'hx-confirm="Remove Ana from' in page
    r = client.post(f"/projects/{key}/resources/1/remove", headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/projects/{key}/resources"
    assert [x["name"] for x in _api(client, plan)] == ["Bob"]
    r = client.post(f"/projects/{key}/resources/1/remove", headers=HX)
    assert r.status_code == 404 and "no resource" in r.text and "<html" not in r.text

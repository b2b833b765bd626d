"""Adding and changing resources from the project's Resources page. The forms post with
htmx (a refused change is a message on the page, a done one reloads it) and work as plain
forms without JavaScript (303 back to the page)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

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
    assert 'name="can_level" value="on" checked' in page and "Can Level off" not in page

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
    assert "Can Level off" in page and 'value="50%"' in page

    r = client.post(
        f"/projects/{key}/resources/{uid}",
        data={"name": "Ana Lima", "max_units": "50%", "email": "", "can_level": "on"},
    )
    assert r.status_code == 200 and "Can Level off" not in r.text  # followed back to the page
    assert _api(client, plan)[0]["can_level"] is True


def test_add_a_material_resource_from_the_page(client, plan) -> None:
    key = _key(client, plan)
    r = client.post(
        f"/projects/{key}/resources", data={"name": "Cabling", "kind": "material"}, headers=HX
    )
    assert r.status_code == 204
    assert [(x["name"], x["kind"], x["can_level"]) for x in _api(client, plan)] == [
        ("Cabling", "material", False)  # as MS Project writes a material resource
    ]
    r = client.post(f"/projects/{key}/resources", data={"name": "R2", "kind": "robot"}, headers=HX)
    assert r.status_code == 422 and "work, material or cost" in r.text
    page = client.get(f"/projects/{key}/resources").text
    assert 'aria-label="Skills of Cabling"' not in page  # only people have skills


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


def test_skills_from_the_resources_page_and_needs_from_the_task_page(client, plan) -> None:
    key = _key(client, plan)
    for name in ("Ana", "Bob"):
        client.post(f"/api/v1/projects/{plan}/resources", json={"name": name})
    r = client.post(
        f"/projects/{key}/resources/1/profile",
        data={
            "time_zone": "Europe/Lisbon",
            "skills": "python:4, sql",
            "certifications": "AWS until 2027-05-01,",
        },
        headers=HX,
    )
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/projects/{key}/resources"
    assert client.get(f"/api/v1/projects/{plan}/resources/1/profile").json() == {
        "time_zone": "Europe/Lisbon",
        "skills": [{"name": "python", "level": 4}, {"name": "sql", "level": 3}],
        "certifications": [{"name": "AWS", "expires": "2027-05-01"}],
    }
    page = client.get(f"/projects/{key}/resources").text
    assert 'value="python:4, sql:3"' in page and 'value="AWS until 2027-05-01"' in page
    assert "python 4 · sql 3 · AWS" in page

    r = client.post(f"/projects/{key}/tasks/2/needs", data={"needs": "python:3, AWS"}, headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/projects/{key}/tasks/2"
    page = client.get(f"/projects/{key}/tasks/2").text
    assert 'value="python:3, AWS:1"' in page
    ranked = page.split('class="ranked"')[1]
    assert ranked.index("Ana") < ranked.index("Bob") and "not qualified" in ranked

    # Refused: a message in the page's message area, and nothing changed.
    for url, data, message in [
        (f"/projects/{key}/resources/1/profile", {"skills": "python:9"}, "levels run"),
        (f"/projects/{key}/resources/1/profile", {"time_zone": "Mars/Base"}, "time zone"),
        (f"/projects/{key}/tasks/2/needs", {"needs": "go, GO"}, "listed twice"),
    ]:
        r = client.post(url, data=data, headers=HX)
        assert r.status_code == 422 and message in r.text, r.text
        assert r.headers["HX-Retarget"] == "#messages"
    assert client.get(f"/api/v1/projects/{plan}/resources/1/profile").json()["skills"][0] == {
        "name": "python", "level": 4,
    }  # fmt: skip
    assert 'value="python:3, AWS:1"' in client.get(f"/projects/{key}/tasks/2").text


def test_rates_from_the_resources_page(client, plan) -> None:
    key = _key(client, plan)
    client.post(f"/api/v1/projects/{plan}/resources", json={"name": "Ana"})
    url = f"/projects/{key}/resources/1/rates"
    r = client.post(url, data={"standard": "100", "per_use": "50"}, headers=HX)
    assert r.status_code == 204
    r = client.post(url, data={"effective": "2027-01-01", "standard": "1,200.5"}, headers=HX)
    assert r.status_code == 204
    lines = client.get(f"/api/v1/projects/{plan}/resources").json()[0]["rates"]
    assert [(x["table"], x["effective"], x["standard"], x["per_use"]) for x in lines] == [
        ("A", None, 100.0, 50.0),
        ("A", "2027-01-01T00:00:00", 1200.5, 0.0),  # a new line: what is not given is 0
    ]
    page = client.get(f"/projects/{key}/resources").text
    assert "A from 2027-01-01: 1200.5/h" in page
    r = client.post(url, data={"effective": "2027-01-01", "remove": "on"}, headers=HX)
    assert r.status_code == 204
    assert len(client.get(f"/api/v1/projects/{plan}/resources").json()[0]["rates"]) == 1

    for data, message in [
        ({"standard": "-5"}, "rate runs from 0"),
        ({"standard": "lots"}, "not an amount"),
        ({"standard": "nan"}, "not an amount"),
        ({"effective": "soon", "standard": "1"}, "not a date"),
        ({"table": "F", "standard": "1"}, "table"),
    ]:
        r = client.post(url, data=data, headers=HX)
        assert r.status_code == 422 and message in r.text, (data, r.text)
    assert len(client.get(f"/api/v1/projects/{plan}/resources").json()[0]["rates"]) == 1


def test_a_form_left_open_writes_only_what_its_user_changed(client, plan) -> None:
    """Two people open Ana's form; one renames her, then the other halves her max units from
    the form drawn before the rename. The rename stands."""
    key = _key(client, plan)
    client.post(f"/api/v1/projects/{plan}/resources", json={"name": "Ana"})
    page = client.get(f"/projects/{key}/resources").text
    was = html.unescape(re.search(r'name="was" value="([^"]*)"', page).group(1))
    assert dict(parse_qsl(was, keep_blank_values=True)) == {
        "name": "Ana", "email": "", "max_units": "100%", "can_level": "on",
    }  # fmt: skip
    form = {"name": "Ana", "max_units": "100%", "email": "", "can_level": "on", "was": was}
    client.post(f"/projects/{key}/resources/1", data=form | {"name": "Ana Lima"}, headers=HX)
    r = client.post(f"/projects/{key}/resources/1", data=form | {"max_units": "50%"}, headers=HX)
    assert r.status_code == 204
    (ana,) = _api(client, plan)
    assert (ana["name"], ana["max_units"], ana["can_level"]) == ("Ana Lima", 0.5, True)
    # Saving an untouched form changes nothing and is no error.
    r = client.post(f"/projects/{key}/resources/1", data=form | {"name": "Ana Lima",
                    "max_units": "50%", "was": "name=Ana+Lima&email=&max_units=50%25&can_level=on"},
                    headers=HX)  # fmt: skip
    assert r.status_code == 204 and _api(client, plan) == [ana]


def test_a_skills_form_left_open_keeps_what_others_added(client, plan) -> None:
    key = _key(client, plan)
    client.post(f"/api/v1/projects/{plan}/resources", json={"name": "Ana"})
    profile = f"/api/v1/projects/{plan}/resources/1/profile"
    client.put(profile, json={"skills": [{"name": "python", "level": 3}]})
    page = client.get(f"/projects/{key}/resources").text
    was = html.unescape(re.findall(r'name="was" value="([^"]*)"', page)[1])
    assert dict(parse_qsl(was, keep_blank_values=True)) == {
        "time_zone": "", "skills": "python:3", "certifications": "",
    }  # fmt: skip
    # Meanwhile someone adds SQL and a certification through the API.
    client.put(
        profile,
        json={"skills": [{"name": "python", "level": 3}, {"name": "sql", "level": 2}],
              "certifications": [{"name": "AWS"}]},
    )  # fmt: skip
    form = {"time_zone": "Europe/Lisbon", "skills": "python:5", "certifications": "", "was": was}
    r = client.post(f"/projects/{key}/resources/1/profile", data=form, headers=HX)
    assert r.status_code == 204
    assert client.get(profile).json() == {
        "time_zone": "Europe/Lisbon",
        "skills": [{"name": "sql", "level": 2}, {"name": "python", "level": 5}],
        "certifications": [{"name": "AWS", "expires": None}],
    }
    # Taking a skill out of the form takes it out of the stored profile.
    was = "time_zone=Europe%2FLisbon&skills=python%3A5%2C+sql%3A2&certifications=AWS"
    form = {"time_zone": "Europe/Lisbon", "skills": "sql:2", "certifications": "AWS", "was": was}
    client.post(f"/projects/{key}/resources/1/profile", data=form, headers=HX)
    assert client.get(profile).json()["skills"] == [{"name": "sql", "level": 2}]

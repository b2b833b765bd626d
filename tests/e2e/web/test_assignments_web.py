"""Who works on a task, from its page: assign (from the list or a suggestion), change units,
unassign. Plain forms that answer with the task page; bad input is an error page and
changes nothing."""

from __future__ import annotations

import re


def _staff(client, plan) -> str:
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    for name in ("Ana", "Bob"):
        assert (
            client.post(f"/api/v1/projects/{plan}/resources", json={"name": name}).status_code
            == 201
        )
    return key


def test_assign_change_units_and_unassign_from_the_task_page(client, plan) -> None:
    key = _staff(client, plan)
    page = client.get(f"/projects/{key}/tasks/1").text
    assert "Nobody is assigned." in page
    assert '<option value="1">Ana</option>' in page and '<option value="2">Bob</option>' in page

    r = client.post(
        f"/projects/{key}/tasks/1/assignments",
        data={"resource": "1", "units": "50%"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/projects/{key}/tasks/1"
    page = client.get(r.headers["location"]).text
    row = page.split('<section class="card assignments"')[1].split("</section>")[0]
    assert "<td>Ana</td>" in row and ">50%<" in row
    assert '<option value="1">Ana</option>' not in page  # assigned: no longer offered
    aid = re.search(r"/assignments/(\d+)/units", row).group(1)

    r = client.post(f"/projects/{key}/tasks/1/assignments/{aid}/units", data={"units": "100%"})
    assert r.status_code == 200  # followed back to the task page
    row = r.text.split('<section class="card assignments"')[1].split("</section>")[0]
    assert ">100%<" in row

    r = client.post(f"/projects/{key}/tasks/1/assignments/{aid}/remove")
    assert r.status_code == 200 and "Nobody is assigned." in r.text


def test_a_suggested_candidate_is_assigned_with_one_click(client, plan) -> None:
    key = _staff(client, plan)
    page = client.get(f"/projects/{key}/tasks/1").text
    suggestions = page.split('<section class="card suggestions"')[1].split("</section>")[0]
    assert suggestions.count(">Assign</button>") == 2  # Ana and Bob, both free
    r = client.post(f"/projects/{key}/tasks/1/assignments", data={"resource": "2"})
    suggestions = r.text.split('<section class="card suggestions"')[1].split("</section>")[0]
    assert suggestions.count(">Assign</button>") == 1  # Bob is on it now


def test_bad_input_is_an_error_and_changes_nothing(client, plan) -> None:
    key = _staff(client, plan)
    client.post(f"/projects/{key}/tasks/1/assignments", data={"resource": "1"})
    before = client.get(f"/projects/{key}/tasks/1").text
    aid = re.search(r"/assignments/(\d+)/units", before).group(1)
    for url, data, status in [
        (f"/projects/{key}/tasks/1/assignments", {"resource": "1"}, 422),  # already on it
        (f"/projects/{key}/tasks/1/assignments", {"resource": "Nobody"}, 404),
        (f"/projects/{key}/tasks/1/assignments/{aid}/units", {"units": "0%"}, 422),
        (f"/projects/{key}/tasks/1/assignments/{aid}/units", {"units": "lots"}, 422),
        (f"/projects/{key}/tasks/2/assignments/{aid}/remove", {}, 404),  # not on task 2
        (f"/projects/{key}/tasks/1/assignments/99/remove", {}, 404),
    ]:
        r = client.post(url, data=data)
        assert r.status_code == status, (url, data, r.text[:300])
        assert "error" in r.text.lower()
    assert client.get(f"/projects/{key}/tasks/1").text == before

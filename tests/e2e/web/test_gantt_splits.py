"""The Gantt chart leaves a split task's pauses open."""

from __future__ import annotations

from tests.unit.interop.test_mspdi_splits import WEEK, file_of
from tests.unit.interop.test_mspdi_splits import plan as split_plan


def test_gantt_data_carries_the_pauses_of_a_split_task(client) -> None:
    r = client.post(
        "/api/v1/projects/import",
        files={"file": ("split.xml", file_of(split_plan(WEEK)), "application/xml")},
    )
    assert r.status_code == 201, r.text
    data = client.get(f"/projects/{r.json()['key']}/gantt.json").json()
    (task,) = data["tasks"]
    # Mon 5 Jan 2026 at work, Tue at work, Wed paused, Thu and Fri at work.
    assert task["gaps"] == [["2026-01-06T17:00", "2026-01-08T08:00"]]
    assert task["finish"].startswith("2026-01-09T17:00")
    assert task["dur"] == "4d"  # the duration leaves the pause out


def test_an_unsplit_task_has_no_gaps_key(client, plan) -> None:
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    assert all("gaps" not in t for t in client.get(f"/projects/{key}/gantt.json").json()["tasks"])


def test_the_task_page_lists_each_pause(client) -> None:
    r = client.post(
        "/api/v1/projects/import",
        files={"file": ("split.xml", file_of(split_plan(WEEK)), "application/xml")},
    )
    html = client.get(f"/projects/{r.json()['key']}/tasks/1").text
    assert html.count("<dt>Paused</dt>") == 1
    assert "<dd>after Tue 06 Jan 2026, resumes Thu 08 Jan 2026</dd>" in html

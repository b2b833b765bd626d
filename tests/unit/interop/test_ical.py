"""iCalendar feed: stable UIDs, growing SEQUENCE, all-day milestones, folding and escaping."""

from __future__ import annotations

from datetime import UTC, datetime

from steerco.domain import Duration, Project, Task
from steerco.interop.ical import escape_text, export_ical, fold, task_uid

STAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def project() -> Project:
    p = Project(name="Data, Apps; & more", key="DATA", start=datetime(2024, 1, 1, 8))
    p.tasks = [
        Task(0, "", outline_level=0),
        Task(
            1,
            "Go-live",
            duration=Duration(0),
            milestone=True,
            start=datetime(2024, 3, 4, 17),
            notes="line one\nline two, with; specials\\",
        ),
        Task(
            2,
            "Design doc " + "é" * 60,
            deliverable=True,
            finish=datetime(2024, 2, 9, 17),
            percent_complete=100,
        ),
        Task(3, "Ordinary work", start=datetime(2024, 1, 1, 8)),
    ]
    return p


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


def test_milestone_event_and_deliverable_todo() -> None:
    lines = unfold(export_ical(project(), stamp=STAMP))
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT")]
    assert "UID:data-task-1@steerco" in event
    assert "DTSTART;VALUE=DATE:20240304" in event and "DTEND;VALUE=DATE:20240305" in event
    assert "DTSTAMP:20240501T120000Z" in event and "SEQUENCE:0" in event
    assert "DESCRIPTION:line one\\nline two\\, with\\; specials\\\\" in event
    todo = lines[lines.index("BEGIN:VTODO") : lines.index("END:VTODO")]
    assert "DUE;VALUE=DATE:20240209" in todo and "STATUS:COMPLETED" in todo
    assert not any("Ordinary work" in line for line in lines)


def test_uid_is_stable_and_sequence_follows_the_version() -> None:
    p = project()
    first = unfold(export_ical(p, stamp=STAMP))
    p.tasks[1].start = datetime(2024, 3, 11, 17)
    p.tasks[1].version = 3
    second = unfold(export_ical(p, stamp=STAMP))
    assert "UID:data-task-1@steerco" in first and "UID:data-task-1@steerco" in second
    assert "SEQUENCE:3" in second and "DTSTART;VALUE=DATE:20240311" in second
    assert task_uid("DATA", 1) == "data-task-1@steerco"


def test_removed_milestone_is_cancelled_not_dropped() -> None:
    p = project()
    gone = p.tasks.pop(1)
    gone.version = 4
    lines = unfold(export_ical(p, stamp=STAMP, cancelled=[gone]))
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT")]
    assert "STATUS:CANCELLED" in event and "SEQUENCE:4" in event


def test_lines_fold_at_75_octets_without_cutting_characters() -> None:
    data = export_ical(project(), stamp=STAMP)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # every physical line is valid UTF-8 on its own
    long = "SUMMARY:" + "é" * 100
    assert fold(long).replace("\r\n ", "") == long


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


BREAKERS = [
    "\r\n",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x1b",
    "\x7f",
]


def test_no_character_in_a_name_or_note_can_start_a_line() -> None:
    # SECURITY.md: CRLF injection. A name carrying a line break and a whole component must
    # stay one SUMMARY, for RFC readers (CRLF) and for lenient ones (str.splitlines).
    p = project()
    for brk in BREAKERS:
        p.tasks[1].name = f"Go-live{brk}END:VEVENT{brk}BEGIN:VEVENT{brk}SUMMARY:injected"
        p.tasks[1].notes = f"note{brk}ATTACH:http://evil.example/x"
        data = export_ical(p, stamp=STAMP)
        lines = unfold(data)
        assert sum(line.startswith("SUMMARY:") for line in lines) == 2, repr(brk)
        assert not [line for line in lines if line.startswith(("SUMMARY:injected", "ATTACH"))]
        assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
        text = data.decode("utf-8").replace("\r\n ", "")
        assert text.splitlines() == text.split("\r\n")[:-1], repr(brk)


def test_escape_text_drops_controls_and_keeps_tabs() -> None:
    assert escape_text("a\u2028b\x85c") == "a\\nb\\nc"
    assert escape_text("a\x00b\x1bc\x7fd") == "abcd"
    assert escape_text("a\tb") == "a\tb"

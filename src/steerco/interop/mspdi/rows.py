"""Rows cut straight from the document's bytes, when those bytes are what lxml would write.

The reader works on each row's XML as lxml serializes it (see `fragments.sort_children`).
Building a tree for a 100,000-task file only to serialize every row again costs more than
everything else the reader does. Most files (MS Project's own among them) already spell their
rows the way lxml does: no comments, CDATA, processing instructions or entity references
other than &amp; &lt; &gt; &#13;, no attributes or spaces inside tags, no raw `>` or CR in
text, UTF-8. For such a file the rows are cut from the bytes; libxml2 still checks that the
whole document is well-formed (a parse that builds nothing), and the rest of the document
(header, calendars, with the row sections emptied) is parsed as a tree as before. The cut is
checked against that tree: each section it emptied must be the only element of its name, a
child of the root. Anything else, or any doubt, and `Document` reads the whole file the
general way, so the outcome (rows, errors) is the same either way.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from steerco.interop.mspdi.codes import NST

SECTIONS = {"Tasks": "Task", "Resources": "Resource", "Assignments": "Assignment"}

# Whitespace or "=" inside a tag (an attribute, `<X />`, `</X >`): raw text holds no `>`
# once the counts below agree, so from such a character a run without `<` that reaches a
# `>` must be inside a tag. Spaces in text fail fast at the next `<`. One pattern per
# character: a literal first character is searched for at memchr speed, a class is not.
_IN_TAG = tuple(re.compile(c + rb"[^<>]*>") for c in (b" ", b"\t", b"\n", b"="))
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class Cut:
    data: bytes  # the whole document
    spans: list[tuple[str, int, int]]  # (section, start, end) of each row's inner XML
    skeleton: bytes  # the document with the row sections emptied
    sections: tuple[str, ...]  # the sections that were emptied

    def rows(self) -> Iterator[tuple[str, str]]:
        """(section, the row's inner XML) in document order, decoded one at a time: the
        rows' text never sits in memory beside the document all at once."""
        data = self.data
        for section, start, end in self.spans:
            yield section, data[start:end].decode("utf-8")

    def placed(self, root: etree._Element) -> bool:
        """Each emptied section is the one element of its name, a child of the root."""
        for section in self.sections:
            tag = NST + section
            found = list(root.iter(tag))
            if len(found) != 1 or found[0].getparent() is not root or len(found[0]):
                return False
        return True


class _WellFormed:
    """An lxml parser target without callbacks: libxml2 checks the document, builds nothing."""

    def close(self) -> None:
        return None


def cut_rows(data: bytes, options: dict[str, bool]) -> Cut | None:
    """The rows of a document in lxml's own spelling, or None to read it the general way."""
    if not _utf8(data):
        return None
    # libxml2's well-formedness check runs in a thread while this one looks for the rows:
    # the parse releases the GIL, and on a second core it costs no time here.
    check = _Check(data, options)
    check.start()
    try:
        got = _cut(data)
    finally:
        check.join()
    if got is None or not check.ok:
        return None  # the general reader reports any error in its own words
    rows, skeleton, sections = got
    return Cut(data, rows, skeleton, sections)


class _Check(threading.Thread):
    def __init__(self, data: bytes, options: dict[str, bool]) -> None:
        super().__init__(name="steerco-xml-check", daemon=True)
        self.data, self.options, self.ok = data, options, False

    def run(self) -> None:
        try:
            etree.fromstring(self.data, etree.XMLParser(target=_WellFormed(), **self.options))
        except etree.XMLSyntaxError:
            return
        self.ok = True


def _cut(data: bytes) -> tuple[list[tuple[str, int, int]], bytes, tuple[str, ...]] | None:
    spans: list[tuple[int, int, str]] = []
    for section in SECTIONS:
        start = data.find(b"<" + section.encode() + b">")
        if start < 0:
            continue
        begin = start + len(section) + 2
        end = data.find(b"</" + section.encode() + b">", begin)
        if end < 0:
            return None
        spans.append((begin, end, section))
    if not spans:
        return None
    spans.sort()
    rows: list[tuple[str, int, int]] = []
    skeleton: list[bytes] = []
    at = 0
    for begin, end, section in spans:
        if begin < at:
            return None  # one section inside another: not the layout of a plan
        got = _rows(data, begin, end, SECTIONS[section])
        if got is None:
            return None
        rows.extend((section, start, stop) for start, stop in got)
        skeleton.append(data[at:begin])
        at = end
    skeleton.append(data[at:])
    return rows, b"".join(skeleton), tuple(s for _, _, s in spans)


def _utf8(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    decl = _DECLARATION.match(data)
    if decl is None:
        return not data.startswith(b"<?xml")
    encoding = _ENCODING.search(decl.group())
    return encoding is None or encoding[1].lower() in (b"utf-8", b"utf8")


def _has_markup(data: bytes, second: bytes, begin: int, end: int) -> bool:
    """Whether data[begin:end] holds "<" + `second`. Found by `second`, which is rare in a
    plan, while "<" opens every tag: a search for the pair stops at each of those (60 ms
    per pair on a 100,000-task plan, against 2 ms). Many hits fall back to that search."""
    at = data.find(second, begin + 1, end)
    for _ in range(64):
        if at < 0:
            return False
        if data[at - 1] == 0x3C:  # "<"
            return True
        at = data.find(second, at + 1, end)
    return data.find(b"<" + second, begin, end) >= 0


def _rows(data: bytes, begin: int, end: int, row: str) -> list[tuple[int, int]] | None:
    """Where the inner XML of each row of the section body data[begin:end] is; None unless
    it is spelled canonically. Worked on in place: a copy of a 200 MB body doubles the peak.
    Valid UTF-8 (so each row decodes) is what the well-formedness parse checks."""
    if (
        _has_markup(data, b"!", begin, end)  # a comment, CDATA or a DOCTYPE
        or _has_markup(data, b"?", begin, end)  # a processing instruction
        or data.find(b"\r", begin, end) >= 0
    ):
        return None
    if data.count(b"<", begin, end) != data.count(b">", begin, end):
        return None  # a raw ">" in text (lxml writes &gt;)
    amps = data.count(b"&", begin, end)
    if amps and amps != sum(
        data.count(ref, begin, end) for ref in (b"&amp;", b"&lt;", b"&gt;", b"&#13;")
    ):
        return None
    if any(pattern.search(data, begin, end) is not None for pattern in _IN_TAG):
        return None
    head = b"<" + row.encode() + b">"
    tail = b"</" + row.encode() + b">"
    out: list[tuple[int, int]] = []
    at = begin
    while True:
        stop = data.find(tail, at, end)
        if stop < 0:
            break
        start = data.find(head, at, stop)
        if start < 0 or data[at:start].strip(b" \t\n"):
            return None  # text or another element between rows, or a row nested in a row
        out.append((start + len(head), stop))
        at = stop + len(tail)
    if data[at:end].strip(b" \t\n"):
        return None
    return out

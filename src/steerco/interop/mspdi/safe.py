"""Parsing untrusted MSPDI bytes without the classic XML attacks, in one streaming pass.

A project file is an upload from anyone with import rights, so the parser refuses what MS Project
never writes: a DOCTYPE (the carrier of external entities and of "billion laughs" expansion),
entity references, network access and absurd nesting. Each refusal is an `ImportRejected` with a
one-line reason, raised before any work is done on the document when it can be seen up front.

Rows (tasks, resources, assignments) are cut from the bytes when lxml would spell them the same
(`rows.py`: libxml2 then checks the document without building a tree), or else streamed with
iterparse and dropped from the tree once read, so a 100,000-task file never sits in memory as a
whole lxml tree.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from lxml import etree

from steerco.domain import ImportRejected
from steerco.interop.mspdi.codes import NS, NST
from steerco.interop.mspdi.rows import Cut, cut_rows

DEFAULT_MAX_BYTES = 200 * 2**20
DEFAULT_MAX_DEPTH = 32  # MSPDI nests at most ~10 levels (Calendar/WorkWeeks/.../FromTime)
ROW_DEPTH = 3  # Project/Tasks/Task: a row's children sit at depth 4

# Only the prolog may hold a DOCTYPE, so a cheap scan of the head refuses a DTD before parsing.
_PROLOG_DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.S)
_HEAD = 65536
ROWS = {"Tasks": f"{NST}Task", "Resources": f"{NST}Resource", "Assignments": f"{NST}Assignment"}

_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,  # keeps libxml2's own limits on depth (256) and text size
    "remove_comments": True,
    "remove_pis": True,
}


def _syntax(exc: etree.XMLSyntaxError) -> ImportRejected:
    message = str(exc).splitlines()[0] if str(exc) else "syntax error"
    return ImportRejected(f"the file is not well-formed XML: {message}")


def _dtd() -> ImportRejected:
    return ImportRejected("the file declares a DTD (<!DOCTYPE>); MS Project XML never does")


def precheck(data: bytes, *, max_bytes: int, root_name: str = "Project") -> None:
    """Refuse an oversized, empty, DTD-carrying or non-MSPDI file before the real parse."""
    if len(data) > max_bytes:
        raise ImportRejected(
            f"the file is {len(data):,} bytes; the import limit is {max_bytes:,} bytes"
        )
    head = data[:_HEAD]
    if not head.strip() and not data.strip():
        raise ImportRejected("the file is empty")
    # A DTD hidden behind 64 KB of comments is still caught by the docinfo check after parsing,
    # which resolves no entity and fetches nothing.
    if _PROLOG_DOCTYPE.match(head):
        raise _dtd()
    pull = etree.XMLPullParser(events=("start",), **_OPTIONS)
    try:
        pull.feed(head)
        first = next(iter(pull.read_events()), None)
    except etree.XMLSyntaxError as exc:
        raise _syntax(exc) from None
    if first is not None:
        tag = first[1].tag
        if tag == root_name:
            raise ImportRejected(
                f'the root <{root_name}> has no MS Project namespace (xmlns="{NS}")'
            )
        if tag != f"{NST}{root_name}":
            local = etree.QName(tag).localname if isinstance(tag, str) else "?"
            raise ImportRejected(
                f"the root element is <{local}>, not <{root_name}> in the MS Project XML namespace"
            )


class Document:
    """One streaming pass over a checked document: `rows()` first, then `root`."""

    def __init__(self, data: bytes, *, max_bytes: int, max_depth: int) -> None:
        precheck(data, max_bytes=max_bytes)
        self.max_depth = max_depth
        self._data = data
        self._cut = cut_rows(data, _OPTIONS)
        self._context = _stream(self._cut.skeleton if self._cut is not None else data)
        self._root: etree._Element | None = None

    def rows(self) -> Iterator[tuple[str, etree._Element | str]]:
        """(section name, row) of each task, resource and assignment, in order. A row is its
        element, or its inner XML when the rows could be cut from the bytes (see rows.py)."""
        cut = self.cut()
        if cut is not None:
            yield from cut.rows()
            return
        yield from self._elements()

    def cut(self) -> Cut | None:
        """The rows cut from the bytes, once the rest of the document confirms the cut (then
        `root` is ready); None when `rows()` must stream them the general way. Call it once,
        before `rows()` (which calls it)."""
        cut, self._cut = self._cut, None
        if cut is None:
            return None
        # The skeleton holds no row where the cut took them all from their sections.
        stray = next(self._elements(), None)
        if stray is None and cut.placed(self.root):
            return cut
        self._root = None
        self._context = _stream(self._data)
        return None

    def _elements(self) -> Iterator[tuple[str, etree._Element]]:
        sections = {tag: name for name, tag in ROWS.items()}
        # The place of a row (in its section, right under the root) is checked once per run
        # of rows under the same section element; lxml hands back the same proxy for it.
        placed: etree._Element | None = None
        placed_tag = ""
        count = 0
        try:
            for _, el in self._context:
                parent = el.getparent()
                tag = el.tag
                if parent is not placed or tag != placed_tag:
                    section = parent.tag[len(NST) :] if parent is not None else ""
                    grand = parent.getparent() if parent is not None else None
                    if ROWS.get(section) != tag or grand is None or grand.getparent() is not None:
                        continue
                    placed, placed_tag = parent, tag
                yield sections[tag], el
                # Free what was read: the row now, and the (cleared) rows before it in batches.
                # Only rows before it: the parser may already have built the ones after it.
                el.clear()
                count += 1
                if count % 256 == 0:
                    del parent[: parent.index(el)]
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc) from None
        self._root = self._context.root
        self._check(self._root)

    @property
    def root(self) -> etree._Element:
        if self._root is None:
            for _ in self._elements():
                pass
        assert self._root is not None
        return self._root

    def _check(self, root: etree._Element) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise _dtd()
        if root.tag != f"{NST}Project":
            raise ImportRejected("the root element is not <Project> in the MSPDI namespace")
        # Rows were checked as they streamed by (see fragments.split_xml); the rest is small,
        # and XPath runs the check inside libxml2.
        if root.xpath("boolean(/*" + "/*" * self.max_depth + ")"):
            raise too_deep(self.max_depth)


def _stream(data: bytes) -> etree.iterparse:
    return etree.iterparse(io.BytesIO(data), events=("end",), tag=list(ROWS.values()), **_OPTIONS)


def too_deep(max_depth: int) -> ImportRejected:
    return ImportRejected(f"the XML nests deeper than {max_depth} levels")


def parse_document(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
) -> etree._Element:
    """The whole tree of a checked document (for small documents and the fact counter)."""
    precheck(data, max_bytes=max_bytes)
    try:
        root = etree.fromstring(data, etree.XMLParser(**_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise _syntax(exc) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _dtd()
    if root.tag != f"{NST}Project":
        raise ImportRejected("the root element is not <Project> in the MS Project XML namespace")
    if root.xpath("boolean(/*" + "/*" * max_depth + ")"):
        raise too_deep(max_depth)
    return root


__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "NS", "Document", "parse_document"]

"""Verbatim XML fragments: how elements steerco does not model survive a round trip.

A fragment is the exact XML of one child element, without the MSPDI namespace declaration, so
it can be pasted back into a document in that namespace. The writer merges modeled fields and
fragments in the schema's order. A fragment whose tag is also a modeled single-valued field
wins over the modeled value: the reader only puts one there when the domain cannot hold the
original value exactly (a "null" duration format, a lag of a fraction of a minute, ...).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from operator import itemgetter

from lxml import etree

from steerco.interop.mspdi.codes import NS, NST

_NSLEN = len(NST)
_DECL = f' xmlns="{NS}"'


def local(tag: str) -> str:
    return tag[_NSLEN:] if tag.startswith(NST) else tag


# Characters XML 1.0 cannot carry at all, not even as a character reference.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    # CR is escaped so that a CR the original carried as &#13; is not folded into LF on reread.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if _INVALID.search(text):
        text = _INVALID.sub("\ufffd", text)  # keep the document well-formed; mark the spot
    return text


def leaf(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>"


def fragment(el: etree._Element, name: str | None = None) -> str:
    """The verbatim XML of `el`. Plain leaves (the vast majority) skip the serializer."""
    if len(el) == 0 and not el.attrib:
        return leaf(name or local(el.tag), el.text or "")
    text: str = etree.tostring(el, encoding="unicode", with_tail=False)
    return text.replace(_DECL, "", 1)


_TAG_NAME = re.compile(r"[^\s/>]+")


def tag_of(frag: str) -> str:
    match = _TAG_NAME.match(frag, 1)
    return match.group() if match else ""


def children(el: etree._Element) -> Iterable[tuple[str, etree._Element]]:
    """(local name, element) of each child element, skipping comments and PIs."""
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            yield (tag[_NSLEN:] if tag.startswith(NST) else tag), child


def merge(
    modeled: list[tuple[str, str]],
    extras: Iterable[str],
    order: dict[str, int],
    single: frozenset[str],
    forced: dict[str, str] | None = None,
) -> str:
    """Modeled (tag, xml) pairs plus extras fragments, in schema order, as one string.

    `single` are the modeled single-valued tags an extra may override; `forced` (a schedule's
    computed values) overrides both. Unknown tags keep their relative place at the end.
    """
    return merge_parts(
        tuple([t for t, _ in modeled]),
        [f for _, f in modeled],
        extras if isinstance(extras, list) else list(extras),
        order,
        single,
        tuple(forced) if forced else (),
        list(forced.values()) if forced else None,
    )


def merge_parts(
    modeled_tags: tuple[str, ...],
    pieces: list[str],
    extras: list[str],
    order: dict[str, int],
    single: frozenset[str],
    forced_tags: tuple[str, ...] = (),
    forced: list[str] | None = None,
) -> str:
    """`merge` with the modeled tags and their XML (`pieces`, which it extends) apart, and
    the forced values as a list under `forced_tags`: a writer that renders 100,000 rows of one
    shape passes constant tag tuples instead of building a pair per field."""
    if extras:
        # `<Tag>` up to the first `>` is the tag of nearly every fragment; the rare one with
        # attributes, a self-closing one, or a tag outside the schema goes through the regex.
        tags = [f[1 : f.find(">")] for f in extras]
        for k in [k for k, t in enumerate(tags) if t not in order]:
            tags[k] = tag_of(extras[k])
        extra_tags = tuple(tags)
        pieces += extras
    else:
        extra_tags = ()
    # Rows of one file share a handful of shapes (which tags, in which order): the order of
    # the pieces is worked out once per shape, then each row is a lookup and a join.
    key = (id(order), single, modeled_tags, extra_tags, forced_tags)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _plan(modeled_tags, list(extra_tags), order, single, forced_tags)
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        _PLANS[key] = plan
    if forced:
        pieces += forced
    return "".join([pieces[i] for i in plan])


_PLANS: dict[tuple[object, ...], list[int]] = {}
_MAX_PLANS = 4096


def _plan(
    modeled: tuple[str, ...],
    tags: list[str],
    order: dict[str, int],
    single: frozenset[str],
    forced: tuple[str, ...],
) -> list[int]:
    """Which piece goes where, as indexes into modeled + extras + forced values."""
    last = len(order)
    drop = set(single.intersection(tags))
    if forced:
        drop.update(forced)
    items = [(order.get(t, last), i) for i, t in enumerate(modeled) if t not in drop]
    base = len(modeled)
    items.extend(
        (order.get(t, last), base + i) for i, t in enumerate(tags) if not forced or t not in forced
    )
    if forced:
        base += len(tags)
        items.extend((order.get(t, last), base + i) for i, t in enumerate(forced))
    items.sort(key=_first)  # stable: repeated tags (links, baselines) keep their order
    return [i for _, i in items]


_first = itemgetter(0)


# ----- fast splitting ---------------------------------------------------------------------------
# Walking 100,000 tasks child by child through lxml proxies costs more than parsing the file.
# Serializing a task once (in C) and cutting the text into its children is several times
# faster, and each child's text is exactly the verbatim fragment to carry. The text comes from
# lxml's own serializer, so it is canonical: no CDATA, no comments, escaped text, and no element
# in MSPDI nests an element of its own name, which the back-reference below relies on.

# The first branch takes a plain leaf (`<Tag>text</Tag>`, nine children in ten) without the
# lazy scan the general branch needs: a third less time in the regex engine.
_CHILD = re.compile(
    r"(<([A-Za-z_][\w.:\-]*)>([^<]*)</\2>)"  # 1 whole, 2 tag, 3 text: a plain leaf
    r"|(<([A-Za-z_][\w.:\-]*)([^>]*?)(?:/>|>(.*?)</\5\s*>))",  # 4 whole, 5 tag, 6 attrs, 7 body
    re.S,
)

Child = tuple[str, str | None, str]  # (tag, text if a plain leaf else None, verbatim xml)


_TAG = re.compile(r"<(/?)[^>]*?(/?)>")


class TooDeep(ValueError):
    """A fragment nests more levels than the reader allows."""


def nesting(xml: str) -> int:
    """How many levels of elements `xml` nests (canonical lxml output: no comments, CDATA)."""
    depth = peak = 0
    for close, empty in _TAG.findall(xml):
        if close:
            depth -= 1
        elif not empty:
            depth += 1
            peak = max(peak, depth)
    return peak


def split_xml(inner: str, budget: int = 29) -> list[Child] | None:
    """Children of an element's inner XML; None when the regex cannot cut it safely.

    Raises TooDeep when a child nests more than `budget` levels. Each level takes at least
    7 characters (`<a></a>`), so only long children need to be scanned.
    """
    found = _CHILD.findall(inner)
    if not found and inner.strip():
        return None
    shortest = 7 * budget
    out: list[Child] = []
    append = out.append
    for whole, tag, text, other, name, attrs, body in found:
        if whole:
            append((tag, html.unescape(text) if "&" in text else text, whole))
        elif "<" in body:
            # The lazy match stops at the first closing tag of the same name: an element that
            # nests its own name (never seen in MSPDI) must take the slow path.
            if f"<{name}>" in body or f"<{name} " in body or f"<{name}/" in body:
                return None
            if len(body) > shortest and nesting(body) >= budget:
                raise TooDeep(budget)
            append((name, None, other))  # elements inside: not a plain leaf, carried whole
        elif "=" in attrs:
            append((name, None, other))  # attributes: carried whole
        else:
            append((name, html.unescape(body) if "&" in body else body, other))
    return out


def split(el: etree._Element, budget: int = 29) -> list[Child]:
    """The children of `el` as (tag, leaf text or None, verbatim fragment)."""
    xml: str = etree.tostring(el, encoding="unicode", with_tail=False)
    start = xml.find(">") + 1
    if xml[start - 2] == "/":
        return []
    fast = split_xml(xml[start : xml.rfind("</")], budget)
    if fast is not None:
        return fast
    # An element nesting its own name (never seen in MSPDI) defeats the regex: walk the tree.
    out: list[Child] = []
    for name, c in children(el):
        xml = fragment(c, name)
        if len(c) and nesting(xml) > budget:
            raise TooDeep(budget)
        out.append((name, (c.text or "") if len(c) == 0 and not c.attrib else None, xml))
    return out


Sorted = tuple[dict[str, str], list[str], list[str]]


def sort_children(
    el: etree._Element | str, fields: frozenset[str], aside: str, budget: int
) -> Sorted:
    """`split(el)` sorted in one pass: (text of the first plain leaf of each tag in `fields`,
    every other child verbatim, the verbatim children named `aside` such as task links).
    `el` is an element, or a row's inner XML cut from a canonical document (`rows.py`).

    The same as looping over `split(el, budget)`, without building a tuple per child: a
    100,000-task file has four million of them.
    """
    if isinstance(el, str):
        got = _sort_inner(el, fields, aside, budget)
        if got is not None:
            return got
        safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        el = etree.fromstring(f'<w xmlns="{NS}"><r>{el}</r></w>', safe)[0]
        return _sort_slow(el, fields, aside, budget)
    xml: str = etree.tostring(el, encoding="unicode", with_tail=False)
    start = xml.find(">") + 1
    if xml[start - 2] == "/":
        return {}, [], []
    got = _sort_inner(xml[start : xml.rfind("</")], fields, aside, budget)
    return _sort_slow(el, fields, aside, budget) if got is None else got


def row_fragment(el: etree._Element | str, name: str) -> str:
    """`fragment(el, name)` of a row, which may be given as its inner XML (see above)."""
    return f"<{name}>{el}</{name}>" if isinstance(el, str) else fragment(el, name)


def sort_fragment(frag: str, fields: frozenset[str]) -> Sorted:
    """`sort_children` of a fragment this module produced (so canonical lxml output)."""
    start = frag.find(">") + 1
    if frag[start - 2] == "/":
        return {}, [], []
    got = _sort_inner(frag[start : frag.rfind("</")], fields, "", 29)
    if got is not None:
        return got
    safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return _sort_slow(etree.fromstring(f'<w xmlns="{NS}">{frag}</w>', safe)[0], fields, "", 29)


_EMPTY_PAIR = re.compile(r"<([^\s/<>]+)></\1>")


def _sort_inner(inner: str, fields: frozenset[str], aside: str, budget: int) -> Sorted | None:
    """The loop of `split_xml` and of its callers in one; None when the regex cannot cut."""
    values: dict[str, str] = {}
    extras: list[str] = []
    kept: list[str] = []
    found = _CHILD.findall(inner)
    if not found and inner.strip():
        return None
    shortest = 7 * budget
    for whole, tag, text, other, name, attrs, body in found:
        if not whole:
            if "<" in body:
                if f"<{name}>" in body or f"<{name} " in body or f"<{name}/" in body:
                    return None  # see split_xml
                if len(body) > shortest and nesting(body) >= budget:
                    raise TooDeep(budget)
                if "></" in body:  # raw rows may spell an empty element <X></X>; lxml <X/>
                    other = _EMPTY_PAIR.sub(r"<\1/>", other)
                (kept if name == aside else extras).append(other)
                continue
            if "=" in attrs:
                (kept if name == aside else extras).append(other)
                continue
            whole, tag, text = other, name, body
        elif not text:
            whole = f"<{tag}/>"  # a raw row's <X></X>, as lxml writes it
        if tag in fields and tag not in values:
            values[tag] = html.unescape(text) if "&" in text else text
        elif tag == aside:
            kept.append(whole)
        else:
            extras.append(whole)
    return values, extras, kept


def _sort_slow(el: etree._Element, fields: frozenset[str], aside: str, budget: int) -> Sorted:
    values: dict[str, str] = {}
    extras: list[str] = []
    kept: list[str] = []
    for name, text, xml in split(el, budget):
        if text is not None and name in fields and name not in values:
            values[name] = text
        elif name == aside:
            kept.append(xml)
        else:
            extras.append(xml)
    return values, extras, kept


def split_fragment(frag: str) -> list[Child]:
    """The children of a fragment this module produced (so canonical lxml output)."""
    start = frag.find(">") + 1
    if frag[start - 2] == "/":
        return []
    fast = split_xml(frag[start : frag.rfind("</")])
    if fast is not None:
        return fast
    safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(f'<w xmlns="{NS}">{frag}</w>', safe)
    return split(root[0])

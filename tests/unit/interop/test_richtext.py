"""Rich text: markdown-it `js-default` then nh3. Hostile markdown and hostile HTML never come
out as a tag, attribute or URL that could run script (SECURITY.md: stored XSS in notes)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from steerco.interop.richtext import ATTRIBUTES, TAGS, URL_SCHEMES, clean_html, render_markdown

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#106;&#97;vascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](https://tracker.example/pixel.gif)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    '[x](https://ok.example" onmouseover="alert(1))',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "> <img src=x onerror=alert(1)>",
    "* [a](javascript:alert(1))\n  * [b](javascript:alert(2))",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!-- x --><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "\\<script>alert(1)\\</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[x](\u200bjavascript:alert(1))",
    "<a href='java&#x0A;script:alert(1)'>x</a>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<object data=javascript:alert(1)></object>",
    "[x](https://ok.example/\x00javascript:alert(1))",
] + [
    "[" * 5_000 + "x" + "](javascript:alert(1))" * 3,  # a nesting bomb
    "> " * 500 + "<script>alert(1)</script>",
    "* " * 500 + "[a](javascript:alert(1))",
]

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (WHATWG URL: strip C0 controls and spaces around it,
    drop tabs and newlines inside it); None for a relative URL."""
    url = re.sub(
        r"[\t\n\r]",
        "",
        url.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15"
            "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()) | {"rel"}:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name == "href" and url_scheme(value or "") not in {None, *URL_SCHEMES}:
                self.problems.append(f"href {value!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment")


def _assert_inert(html: str) -> None:
    """Parsed as a browser would: every tag is on the allow-list, every attribute one we
    allow, every link's scheme http, https, mailto or none (relative)."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    assert not walker.problems, (walker.problems, html)


def test_the_checker_itself_catches_what_it_should() -> None:
    for bad in (
        '<a href=" java\tscript:x">x</a>',
        "<img src=x>",
        '<p onclick="x">t</p>',
        '<a href="DATA:text/html,x">x</a>',
        "<!-- c -->",
    ):
        with pytest.raises(AssertionError):
            _assert_inert(bad)
    _assert_inert('<a href="%6Aavascript:x" rel="noopener">relative, harmless</a>')


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_inert(source: str) -> None:
    _assert_inert(render_markdown(source))


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_html_is_cleaned_by_the_second_step_alone(source: str) -> None:
    # Were markdown-it ever configured to pass raw HTML, nh3 alone must still hold.
    _assert_inert(clean_html(source))


def test_script_text_stays_visible_as_text() -> None:
    html = render_markdown("<script>alert(1)</script> and <b>bold</b>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_template_syntax_is_plain_text() -> None:
    assert render_markdown("{{7*7}}") == "<p>{{7*7}}</p>\n"


def test_javascript_link_is_not_a_link() -> None:
    for source in (
        "[x](javascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
    ):
        assert "<a" not in render_markdown(source)
        assert "<a" not in clean_html(source) or "href" not in clean_html(source)


def test_data_urls_and_images_are_dropped() -> None:
    assert "data:" not in render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)")
    assert "<img" not in render_markdown("![x](https://tracker.example/pixel.gif)")
    assert "href" not in clean_html('<a href="data:text/html,hi">x</a>')


def test_event_handlers_and_styles_are_stripped() -> None:
    html = clean_html('<p onclick="alert(1)" style="position:fixed" class="x" id="y">t</p>')
    assert html == "<p>t</p>"


def test_ordinary_markdown_still_works() -> None:
    html = render_markdown(
        "# Plan\n\n**bold** _it_ ~~gone~~ `code`\n\n3. three\n4. four\n\n"
        '> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org "Site") '
        "[mail](mailto:pm@example.org) [rel](/projects/DEMO)\n"
    )
    assert "<h1>Plan</h1>" in html and "<strong>bold</strong>" in html
    assert "<em>it</em>" in html and "<s>gone</s>" in html and "<code>code</code>" in html
    assert '<ol start="3">' in html and "<blockquote>" in html and "<td>2</td>" in html
    assert (
        '<a href="https://example.org" title="Site" rel="noopener noreferrer nofollow">site</a>'
    ) in html
    assert 'href="mailto:pm@example.org"' in html and 'href="/projects/DEMO"' in html


def test_links_open_no_window_reference() -> None:
    html = render_markdown("[x](https://example.org)")
    assert 'rel="noopener noreferrer nofollow"' in html


def test_blank_is_empty_and_huge_input_is_bounded() -> None:
    assert render_markdown("") == "" and render_markdown("  \n ") == ""
    html = render_markdown("a" * 500_000)
    assert len(html) < 110_000

"""The answer markup and the highlighting: everything escaped before any tag is added."""

from helpcentre import markup


def test_it_renders_paragraphs_lists_and_portal_links():
    html = markup.render(
        "First paragraph with a [support password](page:users:support_password).\n\n"
        "- one\n- two with [charging](article:ecell/charging)"
    )
    assert '<p>First paragraph with a <a href="/account/support-password/">support password</a>.</p>' in html
    assert '<ul><li>one</li><li>two with <a href="/help/ecell/charging/">charging</a></li></ul>' in html


def test_it_escapes_html_in_answers_and_unknown_links():
    html = markup.render('<script>alert("x")</script> [click](javascript:alert(1)) [x](page:no-such-page)')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    # Only page: and article: links become links; others keep their label only.
    assert "javascript" not in html and "click" in html
    assert "<a " not in html


def test_it_lists_broken_links():
    text = "[ok](page:users:profile) [bad](page:users:nothing) [gone](article:nowhere)"
    assert markup.broken_links(text) == ["page:users:nothing", "article:nowhere"]


def test_it_highlights_terms_case_insensitively_and_escapes_around_them():
    html = markup.highlight("Password <b>reset</b> & PASSWORD", ["password"])
    assert html == "<mark>Password</mark> &lt;b&gt;reset&lt;/b&gt; &amp; <mark>PASSWORD</mark>"


def test_it_does_not_let_a_query_inject_markup():
    terms = markup.search_terms("<img src=x onerror=alert(1)> password")
    html = markup.highlight("img password onerror", terms)
    assert "<img" not in html
    assert html.count("<mark>") == 3


def test_it_turns_headline_markers_into_marks_after_escaping():
    marked = f"a {markup.START_MARK}<charge>{markup.STOP_MARK} & b"
    assert markup.marked_to_html(marked) == "a <mark>&lt;charge&gt;</mark> &amp; b"


def test_it_drops_unbalanced_markers():
    assert markup.marked_to_html(f"cut {markup.START_MARK}off") == "cut off"


def test_it_cuts_a_snippet_around_the_first_match():
    plain = "word " * 100 + "roaming charges apply " + "tail " * 100
    html = markup.snippet(plain, ["roaming"])
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>roaming</mark> charges" in html
    assert len(html) < 300


def test_it_makes_plain_text_without_markup():
    assert markup.to_plain("Set a [support password](page:users:support_password).\n\n- a\n- b") == (
        "Set a support password.\na\nb"
    )

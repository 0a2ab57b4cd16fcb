"""The test kit's HTML check finds what it is there to find."""

from apps.core.testing.accessibility import html_problems


def test_duplicate_ids_and_unlabelled_fields_are_found():
    html = """<form><input id="q" name="q"><input id="q" type="hidden" name="x">
    <label for="u">User</label><input id="u" name="u"><label>Pass <input name="p" type="password"></label>
    <select name="s"></select><input name="a" aria-label="Age"><button type="submit">Go</button></form>"""
    assert html_problems(html) == [
        "duplicate id 'q' x2",
        "<input name='q'> has no label",
        "<select name='s'> has no label",
    ]


def test_a_clean_page_has_no_problems():
    assert html_problems('<label for="a">A</label><input id="a" name="a"><input type="submit">') == []

"""Pictures of 100 people: the right number of each kind, a text alternative with the figure in
words, nothing the CSP would block, and kinds that differ in greyscale."""

import re

import pytest

from decision_aid.text.icons import MAYBE, REST, SURE, icon_array, icon_array_tiled


def heads(svg, fill):
    """The cells (column, row) of the people drawn in `fill`: one path per kind of person, each
    person a head (a closed curve starting at x = 7.2 in its cell) and shoulders."""
    cells = []
    for d in re.findall(rf'<path fill="{fill}"[^>]* d="([^"]*)"', svg):
        for x, y in re.findall(r"M([\d.]+) ([\d.]+)", d):
            if round(float(x) % 10, 1) == 7.2:
                cells.append((int(float(x) // 10), int(float(y) // 10)))
    return cells


def people(svg, fill):
    return len(heads(svg, fill))


def test_counts_and_text_alternative():
    svg = str(icon_array(85, 95, "about 85 to 95 in 100 people get good relief"))
    assert people(svg, SURE[0]) == 85
    assert people(svg, MAYBE[0]) == 10
    assert people(svg, REST[0]) == 5
    everyone = heads(svg, SURE[0]) + heads(svg, MAYBE[0]) + heads(svg, REST[0])
    assert sorted(everyone) == sorted((column, row) for column in range(10) for row in range(10))
    assert heads(svg, SURE[0])[:11] == [(n, 0) for n in range(10)] + [(0, 1)]  # row by row
    assert 'role="img"' in svg
    assert (
        'aria-label="Picture of 100 people: about 85 to 95 in 100 people get good relief."' in svg
    )
    assert "<title>Picture of 100 people: about 85 to 95" in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<path") == 3  # a path for each kind: WeasyPrint draws 100 shapes slowly


def test_out_of_range_figures_are_clamped_and_words_escaped():
    svg = str(icon_array(-3, 140, '<b>"x"</b>'))
    assert people(svg, SURE[0]) == 0 and people(svg, MAYBE[0]) == 100
    assert "<b>" not in svg


def luminance(hex_colour):
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_three_kinds_differ_in_greyscale():
    levels = sorted(luminance(kind[0]) for kind in (SURE, MAYBE, REST))
    assert levels[1] - levels[0] > 100 and levels[2] - levels[1] > 50


def tiled_people(svg, kind):
    """The cells (column, row) covered by the rectangles of one kind in the PDF's picture."""
    cells = []
    for x, y, w, h in re.findall(
        rf'<rect class="{kind}" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"', svg
    ):
        for row in range(int(y) // 10, (int(y) + int(h)) // 10):
            cells.extend((column, row) for column in range(int(x) // 10, (int(x) + int(w)) // 10))
    return cells


@pytest.mark.parametrize("n, upto", [(85, 95), (3, 27), (0, 0), (37, 65), (100, 100), (5, 10)])
def test_the_pdfs_tiled_picture_counts_the_same_people_row_by_row(n, upto):
    """The PDF draws each kind as rectangles filled with one person (an SVG pattern): the same
    cells, in the same order, as the picture on the pages."""
    svg = str(icon_array_tiled(n, upto, "words", key="1-2"))
    paths = str(icon_array(n, upto, "words"))
    for kind, colours in (("sure", SURE), ("maybe", MAYBE), ("rest", REST)):
        assert sorted(tiled_people(svg, kind)) == sorted(heads(paths, colours[0])), kind
    assert len(tiled_people(svg, "sure")) == n
    assert svg.count("<rect") <= 9  # at most three rectangles a kind
    assert 'id="people1-2-sure"' in svg or n == 0
    assert 'aria-label="Picture of 100 people: words."' in svg and "style=" not in svg

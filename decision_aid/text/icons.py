"""Pictures of 100 people (icon arrays) for the option grid, as inline SVG made on the server.

Many people read "about 85 in 100" more easily as a picture of 100 people. The picture has the
figure in words as its text alternative, needs no script or style attribute (the CSP forbids
them), and reads in greyscale: people who are sure to be counted are solid black, the uncertain
range is grey with a dark outline, the rest are white with a grey outline.

On the web pages (`themed=True`, issue 27) the picture takes its colours from the page's theme
instead: each kind of person has a class, and app.css paints them with `currentColor` and the
theme's variables, so they stay right in the dark and high-contrast modes. The PDF keeps the
fixed colours (it has no dark mode)."""

from markupsafe import Markup, escape

from decision_aid.text.i18n import gettext

COLUMNS = 10
SIZE = 10  # one person's cell, in SVG units
SURE, MAYBE, REST = ("#0b0c0c", "#0b0c0c"), ("#b1b4b6", "#0b0c0c"), ("#ffffff", "#6f777b")


K = 0.5523  # a quarter circle of radius r is a cubic Bezier with its control points r * K along


def _circle(r: float) -> str:
    """A whole circle of radius `r`, starting and ending at its rightmost point, as four relative
    cubic Bezier quarters (clockwise on screen). Arcs would be shorter to write, but WeasyPrint
    turns each arc into curves with matrix sums in Python, which took a third of a PDF's time."""
    k, j = round(r * K, 3), round(r - r * K, 3)
    return (
        f"c0 {k} {-j} {r} {-r} {r}c{-k} 0 {-r} {-j} {-r} {-r}"
        f"c0 {-k} {j} {-r} {r} {-r}c{k} 0 {r} {j} {r} {r}"
    )


def _dome(r: float) -> str:
    """The top half of a circle of radius `r`, from its leftmost to its rightmost point."""
    k, j = round(r * K, 3), round(r - r * K, 3)
    return f"c0 {-k} {j} {-r} {r} {-r}c{k} 0 {r} {j} {r} {r}"


HEAD, SHOULDERS = _circle(2.2), _dome(3.4)


def _person(index: int) -> str:
    """A head and shoulders in a 10 by 10 cell, filled from the top left, row by row, as path
    commands: the head a circle of radius 2.2 centred at (5, 3), the shoulders a half disc of
    radius 3.4 standing on y = 9.4."""
    x, y = (index % COLUMNS) * SIZE, (index // COLUMNS) * SIZE
    return f"M{x + 7.2:g} {y + 3}{HEAD}zM{x + 1.6:g} {y + 9.4:g}{SHOULDERS}z"


def _kind(indexes: range, colours: tuple[str, str], themed_as: str = "") -> str:
    """One path for all the people of one kind. A path per kind, not two shapes per person: the
    PDF's six pictures were 1,200 SVG elements, a third of a render's time in WeasyPrint.
    `themed_as` names the kind's class instead of its colours (the web pages)."""
    if not indexes:
        return ""
    fill, stroke = colours
    paint = f'class="{themed_as}"' if themed_as else f'fill="{fill}" stroke="{stroke}"'
    return f'<path {paint} stroke-width="0.6" d="{"".join(_person(index) for index in indexes)}"/>'


def icon_array(n: int, upto: int, words: str, themed: bool = False) -> Markup:
    """100 people: `n` solid, up to `upto` grey (the range the studies give), the rest open.
    `themed`: coloured by the page's style sheet (classes icon-sure, icon-maybe, icon-rest)."""
    n, upto = max(0, min(100, n)), max(0, min(100, upto))
    upto = max(n, upto)
    sure, maybe, rest = ("icon-sure", "icon-maybe", "icon-rest") if themed else ("", "", "")
    people = (
        _kind(range(n), SURE, sure)
        + _kind(range(n, upto), MAYBE, maybe)
        + _kind(range(upto, 100), REST, rest)
    )
    label = escape(gettext("Picture of 100 people: {words}.").format(words=words))
    return Markup(
        f'<svg class="icon-array" viewBox="0 0 100 100" width="100" height="100" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f"{people}</svg>"
    )


def _spans(start: int, stop: int) -> list[tuple[int, int, int, int]]:
    """The cells start..stop-1 (row by row) as at most three rectangles (x, y, width, height)
    in cells: the rest of the first row, the whole rows, the start of the last row."""
    rects, index = [], start
    while index < stop:
        column, row = index % COLUMNS, index // COLUMNS
        if column or stop - index < COLUMNS:  # a part of one row
            count = min(COLUMNS - column, stop - index)
            rects.append((column, row, count, 1))
        else:  # whole rows
            count = (stop - index) // COLUMNS * COLUMNS
            rects.append((0, row, COLUMNS, count // COLUMNS))
        index += count
    return rects


def icon_array_tiled(n: int, upto: int, words: str, key: str | int = "") -> Markup:
    """The same picture as `icon_array` for the PDF: one person drawn once per kind as an SVG
    pattern, and each kind's people as at most three rectangles filled with it. WeasyPrint
    parses path data in Python point by point; 100 people as paths were a fifth of a PDF's
    render time, the pattern (a PDF tiling pattern) costs next to nothing. `key` makes the
    pattern ids unique in one document (the tests count the people from the rectangles)."""
    n, upto = max(0, min(100, n)), max(0, min(100, upto))
    upto = max(n, upto)
    person = f"M7.2 3{HEAD}zM1.6 9.4{SHOULDERS}z"
    defs, shapes = [], []
    for name, (start, stop), (fill, stroke) in (
        ("sure", (0, n), SURE),
        ("maybe", (n, upto), MAYBE),
        ("rest", (upto, 100), REST),
    ):
        if start >= stop:
            continue
        pattern = f"people{key}-{name}"
        defs.append(
            f'<pattern id="{pattern}" width="{SIZE}" height="{SIZE}" '
            f'patternUnits="userSpaceOnUse"><path fill="{fill}" stroke="{stroke}" '
            f'stroke-width="0.6" d="{person}"/></pattern>'
        )
        shapes.extend(
            f'<rect class="{name}" x="{x * SIZE}" y="{y * SIZE}" width="{w * SIZE}" '
            f'height="{h * SIZE}" fill="url(#{pattern})"/>'
            for x, y, w, h in _spans(start, stop)
        )
    label = escape(gettext("Picture of 100 people: {words}.").format(words=words))
    return Markup(
        f'<svg class="icon-array" viewBox="0 0 100 100" width="100" height="100" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f"<defs>{''.join(defs)}</defs>{''.join(shapes)}</svg>"
    )

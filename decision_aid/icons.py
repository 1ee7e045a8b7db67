"""Pictures of 100 people (icon arrays) for the option grid, as inline SVG made on the server.

Many people read "about 85 in 100" more easily as a picture of 100 people. The picture has the
figure in words as its text alternative, needs no script or style attribute (the CSP forbids
them), and reads in greyscale: people who are sure to be counted are solid black, the uncertain
range is grey with a dark outline, the rest are white with a grey outline."""

from markupsafe import Markup, escape

from decision_aid.i18n import gettext

COLUMNS = 10
SIZE = 10  # one person's cell, in SVG units
SURE, MAYBE, REST = ("#0b0c0c", "#0b0c0c"), ("#b1b4b6", "#0b0c0c"), ("#ffffff", "#6f777b")


def _person(index: int, colours: tuple[str, str]) -> str:
    """A head and shoulders in a 10 by 10 cell, filled from the top left, row by row."""
    x, y = (index % COLUMNS) * SIZE, (index // COLUMNS) * SIZE
    fill, stroke = colours
    return (
        f'<circle cx="{x + 5}" cy="{y + 3}" r="2.2" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="0.6"/>'
        f'<path d="M{x + 1.6} {y + 9.4} a3.4 3.4 0 0 1 6.8 0 z" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="0.6"/>'
    )


def icon_array(n: int, upto: int, words: str) -> Markup:
    """100 people: `n` solid, up to `upto` grey (the range the studies give), the rest open."""
    n, upto = max(0, min(100, n)), max(0, min(100, upto))
    people = []
    for index in range(100):
        colours = SURE if index < n else MAYBE if index < upto else REST
        people.append(_person(index, colours))
    label = escape(gettext("Picture of 100 people: {words}.").format(words=words))
    return Markup(
        f'<svg class="icon-array" viewBox="0 0 100 100" width="100" height="100" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f"{''.join(people)}</svg>"
    )

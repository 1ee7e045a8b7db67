"""The time model of scripts/path_taps.py (issue 27), documented in docs/patient-path.md:

- reading: 150 words a minute, for the words a page shows before its main button (on the
  summary, before "What to do next": reaching it is the goal);
- 3 seconds a tap (a choice, a text field reached, a button);
- 1.5 seconds a typed character;
- 15 % more for the pauses a spasm forces.

Words are what a person sees: text inside <main> up to the first submit button (or the
summary's "What to do next", or "Skip this page" for a person who gives nothing on an optional
page, or the main link a page without a form goes on with), leaving
out anything hidden (the follow-ups of choices not made, text for screen readers only, and what
a closed <details> holds apart from its <summary>). Chinese has no spaces between words: each
Han character counts as a word, a little on the slow side."""

import re
from html.parser import HTMLParser

WORDS_A_MINUTE = 150
SECONDS_A_TAP = 3.0
SECONDS_A_CHARACTER = 1.5
SPASM_EXTRA = 0.15
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HAN = re.compile(r"[\u3400-\u9fff]")


class PageReader(HTMLParser):
    """The words before the main button, and the names of the fields typed into."""

    def __init__(self, stop_at_id=None, skipping=False):
        super().__init__()
        self.stop_at_id = stop_at_id
        self.skipping = skipping
        self.in_main = self.done = False
        self.stack = []  # (tag, hidden); a closed <details> is "details-closed"
        self.words = 0
        self.typed_fields = set()

    def hidden(self):
        for i, (tag, hidden) in enumerate(self.stack):
            if hidden:
                return True
            if tag == "details-closed" and (
                i + 1 == len(self.stack) or self.stack[i + 1][0] != "summary"
            ):
                return True
        return False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "text" or tag == "textarea":
            self.typed_fields.add(a.get("name"))
        if tag == "main":
            self.in_main = True
        if self.in_main and not self.done:
            submit = tag == "button" and a.get("type") == "submit"
            if a.get("name") == "skip_page":  # "Skip this page": the stop only for who skips
                submit = submit and self.skipping
            if submit or (self.stop_at_id and a.get("id") == self.stop_at_id):
                self.done = True
        if tag in VOID:
            return
        classes = (a.get("class") or "").split()
        hides = "hidden" in a or "visually-hidden" in classes or tag in ("script", "style")
        if tag == "details" and "open" not in a:
            tag = "details-closed"
        self.stack.append((tag, hides))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] in (tag, tag + "-closed"):
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_main and not self.done and not self.hidden():
            self.words += len(HAN.findall(data)) + len(HAN.sub(" ", data).split())


def read(html, stop_at_id=None, skipping=False):
    reader = PageReader(stop_at_id, skipping)
    reader.feed(html)
    return reader


def minutes(words, taps, characters):
    seconds = words / WORDS_A_MINUTE * 60 + taps * SECONDS_A_TAP + characters * SECONDS_A_CHARACTER
    return seconds * (1 + SPASM_EXTRA) / 60


class Clock:
    """Seconds spent, by the model above, in all and page by page (`pages`: a list of
    [label, words, taps, characters], the taps and typing counted to the page last read)."""

    def __init__(self):
        self.pages = []

    def page(self, html, stop_at_id=None, label="?", skipping=False):
        self.pages.append([label, read(html, stop_at_id, skipping).words, 0, 0])

    def tap(self, taps=1):
        self._last()[2] += taps

    def type(self, text):
        self._last()[3] += len(text)

    def _last(self):
        if not self.pages:
            self.pages.append(["?", 0, 0, 0])
        return self.pages[-1]

    @property
    def words(self):
        return sum(p[1] for p in self.pages)

    @property
    def taps(self):
        return sum(p[2] for p in self.pages)

    @property
    def characters(self):
        return sum(p[3] for p in self.pages)

    @property
    def minutes(self):
        return minutes(self.words, self.taps, self.characters)

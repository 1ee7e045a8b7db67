"""Issue 27: the public sources page, /sources: the summary links to it once instead of a list
of sources under every card, and the PDF prints its address with a QR code."""

import re

from decision_aid.guidance import content


def test_the_sources_page_lists_every_source_and_what_each_choice_rests_on(client):
    page = client.get("/sources")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    catalogue = content.load("sources")
    for sid in catalogue:
        assert f'id="source-{sid}"' in html, sid
    assert html.count('<li id="source-') == len(catalogue)
    assert "Where the figures for each choice come from" in html
    # Each option row that cites a source links to it on the same page.
    options = content.load("options")["options"]
    for option in options.values():
        assert f"<h3>{option['title']}</h3>" in html
    for sid in re.findall(r'<a href="#source-([\w-]+)">', html):
        assert sid in catalogue
    assert "Content version" in html  # who wrote it, and when
    assert "Back to your summary" not in html  # no answers, no session needed


def test_a_patient_with_a_summary_finds_the_way_back(patient):
    from test_wizard import LONG_BOTOX, walk

    walk(patient, LONG_BOTOX)
    html = patient.client.get("/sources").get_data(as_text=True)
    assert 'href="/summary"' in html

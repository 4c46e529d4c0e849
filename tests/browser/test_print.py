"""The print stylesheet (static/css/print.css) in Chromium, with print media emulated: a public page
prints as a handout, without navigation, filters or forms, black on white, with the addresses of
external links."""

import pytest

from gcm_tracker.tracker.models import ActionEvidence
from tests.factories import PublishedActionFactory

from .conftest import DESKTOP, set_viewport

pytestmark = pytest.mark.django_db(transaction=True)

STYLES = """
// null when the page has no such element, so that a missing element cannot pass for a hidden one.
const shown = (selector) => {
  const elements = [...document.querySelectorAll(selector)];
  return elements.length ? elements.some((e) => getComputedStyle(e).display !== "none") : null;
};
const body = getComputedStyle(document.body);
const link = document.querySelector(".evidence a");
return {
  nav: shown(".site-header nav"),
  search: shown(".site-search"),
  filters: shown("form.filters"),
  colours: [body.color, body.backgroundColor],
  external: getComputedStyle(link, "::after").content,
};
"""


def test_action_list_prints_as_a_handout(browser, live_server):
    action = PublishedActionFactory(title="Clinic")
    ActionEvidence.objects.create(action=action, url="https://example.org/report", title="Report")
    set_viewport(browser, DESKTOP)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})

    browser.get(live_server.url + "/actions/")
    styles = browser.execute_script(STYLES)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    assert styles == {
        "nav": False,
        "search": False,
        "filters": False,
        "colours": ["rgb(0, 0, 0)", "rgb(255, 255, 255)"],
        "external": '" (https://example.org/report)"',
    }

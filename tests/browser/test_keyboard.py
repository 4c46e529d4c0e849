"""A keyboard-only visitor filters the recommendation list and opens a recommendation, and
filters the country matrix and opens a cell."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Country, Recommendation
from tests.factories import StaffFactory, record_official

from .conftest import DESKTOP, set_viewport

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"


def _press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def _tab_to(driver, describe, matches, limit=80):
    """Press Tab until the focused element matches; fail, naming `describe`, if it never does."""
    for _ in range(limit):
        _press(driver, Keys.TAB)
        if driver.execute_script(f"const el = document.activeElement; return {matches};"):
            return
    pytest.fail(f"Tab never reached {describe}")


def test_keyboard_user_filters_by_objective_and_opens_a_recommendation(browser, seeded_live_server):
    set_viewport(browser, DESKTOP)
    browser.get(f"{seeded_live_server.url}/recommendations/")

    _tab_to(browser, "the objective filter", "el.id === 'id_objective'")
    _press(browser, *[Keys.ARROW_DOWN] * 13)  # "Any", then objectives 1 to 13
    _tab_to(browser, "the apply button", "el.type === 'submit' && el.closest('form.filters')")
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "objective=13" in d.current_url)
    _tab_to(
        browser,
        "the first result",
        f"el.tagName === 'A' && el.getAttribute('href') === '/recommendations/{SLUG}-87/'",
    )
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(f"/{SLUG}-87/"))

    heading = browser.execute_script("return document.querySelector('h1').textContent")
    assert heading == "End child immigration detention; detention of migrants only as a last resort"


def test_keyboard_user_filters_the_matrix_and_opens_a_cell(browser, seeded_live_server):
    staff = StaffFactory(username="staff")
    record_official(
        Recommendation.objects.get(reference=f"{SLUG}-87"),
        Country.objects.get(iso3="THA"),
        staff,
        status=RecommendationStatus.SUBSTANTIAL,
    )
    set_viewport(browser, DESKTOP)
    browser.get(f"{seeded_live_server.url}/matrix/")

    _tab_to(browser, "the objective filter", "el.id === 'id_objective'")
    _press(browser, *[Keys.ARROW_DOWN] * 13)  # "Any", then objectives 1 to 13
    _tab_to(browser, "the country filter", "el.id === 'id_country_q'")
    _press(browser, "Thailand")  # the chooser's search: the first match, Enter chooses it
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#id_country_listbox [role=option]")
    )
    _press(browser, Keys.ARROW_DOWN, Keys.ENTER)
    _tab_to(browser, "the apply button", "el.type === 'submit' && el.closest('form.filters')")
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "country=THA" in d.current_url)
    _tab_to(browser, "the scrolling matrix", "el.classList.contains('matrix-scroll')")
    _tab_to(
        browser,
        "Thailand's cell for paragraph 87",
        f"el.tagName === 'A' && el.getAttribute('href') === '/countries/THA/#{SLUG}-87'",
    )
    # The cell's name as assistive technology gets it (its link's visually hidden text).
    name = browser.switch_to.active_element.accessible_name
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(f"/THA/#{SLUG}-87"))

    assert name.startswith("Thailand, paragraph 87: Substantial progress, official; ")
    heading = browser.execute_script(
        f"return document.getElementById('{SLUG}-87-heading').textContent"
    )
    assert heading.startswith("End child immigration detention; detention of migrants only as a")

"""The choosers of the action form in Chromium: a contributor logs an action with the keyboard
only, choosing two recommendations and two countries by typing (and removing a third); and axe
finds nothing on the form, with chips, with the combobox open and after a search made without
the script, at 1280 and 390 px. A visitor filters the recommendations by an organisation chosen
with the keyboard (the public filters' choosers, which hold one row)."""

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from gcm_tracker.tracker.models import FollowUpAction, Recommendation, Stakeholder
from gcm_tracker.workspace.choices import recommendation_label
from tests.factories import ContributorFactory

from .conftest import DESKTOP, axe_violations, set_viewport, sign_in_as
from .test_accessibility import _publish_an_action

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"
PHONE_390 = (390, 844)


def _press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def _focused(driver, script: str):
    return driver.execute_script(f"const el = document.activeElement; return {script};")


def _tab_to(driver, describe, matches, *, backwards=False, limit=60):
    for _ in range(limit):
        _press(driver, *([Keys.SHIFT, Keys.TAB, Keys.SHIFT] if backwards else [Keys.TAB]))
        if _focused(driver, matches):
            return
    pytest.fail(f"Tab never reached {describe}")


def _listbox_open(driver, field):
    return driver.execute_script(
        "const box = document.getElementById(arguments[0] + '_listbox');"
        "return box && !box.hidden && box.querySelectorAll('[role=option]').length > 0",
        f"id_{field}",
    )


def _choose_by_typing(driver, field, text, wanted_prefix):
    """With the focus in `field`'s combobox: type, wait for the options, arrow down to the one
    whose label starts with `wanted_prefix`, Enter."""
    assert _focused(driver, f"el.id === 'id_{field}_q'")
    _press(driver, text)
    WebDriverWait(driver, 10).until(lambda d: _listbox_open(d, field))
    assert _focused(driver, "el.getAttribute('aria-expanded')") == "true"
    for _ in range(20):
        _press(driver, Keys.ARROW_DOWN)
        active = _focused(
            driver,
            "document.getElementById(el.getAttribute('aria-activedescendant')).textContent",
        )
        if active.startswith(wanted_prefix):
            break
    else:
        pytest.fail(f"no option starting {wanted_prefix!r} for {text!r}")
    _press(driver, Keys.ENTER)
    assert _focused(driver, "el.getAttribute('aria-expanded')") == "false"
    assert _focused(driver, "el.value") == ""


def _chips(driver, field):
    return [
        chip.get_attribute("textContent")
        for chip in driver.find_elements(By.CSS_SELECTOR, f"#id_{field}_chosen .chip-label")
    ]


def _references(driver):
    return [label.split(":")[0] for label in _chips(driver, "recommendations")]


@pytest.fixture
def contributor(seeded_live_server):
    organisation = Stakeholder.objects.get(slug="international-detention-coalition")
    return ContributorFactory(username="carla", organisation=organisation)


def test_contributor_logs_an_action_choosing_by_typing_with_the_keyboard_only(
    browser, seeded_live_server, contributor
):
    base = seeded_live_server.url
    set_viewport(browser, DESKTOP)
    sign_in_as(browser, base, contributor)
    browser.get(f"{base}/workspace/actions/new/")

    _tab_to(browser, "the title", "el.id === 'id_title'")
    _press(browser, "Community alternatives to detention pilot")
    _press(browser, Keys.TAB, "Case management for 40 families released from detention.")
    _tab_to(browser, "the recommendations' combobox", "el.id === 'id_recommendations_q'")
    assert _focused(browser, "el.getAttribute('role')") == "combobox"
    _choose_by_typing(browser, "recommendations", "detention", f"{SLUG}-87:")
    _choose_by_typing(browser, "recommendations", f"{SLUG}-26", f"{SLUG}-26:")
    _choose_by_typing(browser, "recommendations", "86", f"{SLUG}-86")
    assert _references(browser) == [f"{SLUG}-87", f"{SLUG}-26", f"{SLUG}-86"]
    # Remove the third: back to its "Remove" button, Enter; the focus goes to the one before.
    _tab_to(
        browser,
        "the third chip's remove button",
        f"el.classList.contains('chip-remove') && el.textContent.includes('{SLUG}-86')",
        backwards=True,
    )
    _press(browser, Keys.ENTER)
    assert _references(browser) == [f"{SLUG}-87", f"{SLUG}-26"]
    second = Recommendation.objects.get(reference=f"{SLUG}-26")
    assert _focused(browser, "el.textContent") == f"×Remove {recommendation_label(second)}"

    _tab_to(browser, "the countries' combobox", "el.id === 'id_countries_q'")
    _choose_by_typing(browser, "countries", "Thai", "Thailand")
    _choose_by_typing(browser, "countries", "PHL", "Philippines")
    assert _chips(browser, "countries") == ["Thailand (THA)", "Philippines (PHL)"]
    status = browser.find_element(By.CSS_SELECTOR, "#id_countries_chooser [role=status]")
    WebDriverWait(browser, 5).until(lambda d: status.get_attribute("textContent"))
    assert status.get_attribute("textContent") == "Philippines (PHL) added."
    # Escape closes the list without choosing.
    _press(browser, "Malay")
    WebDriverWait(browser, 10).until(lambda d: _listbox_open(d, "countries"))
    _press(browser, Keys.ESCAPE)
    assert not _listbox_open(browser, "countries")
    _press(browser, Keys.ESCAPE)  # and again empties the box
    assert _focused(browser, "el.value") == ""

    _tab_to(browser, "the start date", "el.id === 'id_start_date'")
    _press(browser, "04012021")
    _tab_to(browser, "the submit button", "el.name === 'submit'")
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda d: re.search(r"/workspace/actions/\d+/$", d.current_url)
    )

    action = FollowUpAction.objects.get()
    assert action.title == "Community alternatives to detention pilot"
    assert sorted(action.recommendations.values_list("reference", flat=True)) == [
        f"{SLUG}-26",
        f"{SLUG}-87",
    ]
    assert sorted(action.countries.values_list("iso3", flat=True)) == ["PHL", "THA"]
    assert action.start_date.isoformat() == "2021-04-01"


@pytest.mark.parametrize("size", [DESKTOP, PHONE_390], ids=["1280px", "390px"])
def test_the_action_form_and_its_choosers_have_no_accessibility_violations(
    browser, seeded_live_server, contributor, size
):
    base = seeded_live_server.url
    set_viewport(browser, size)
    sign_in_as(browser, base, contributor)
    browser.get(f"{base}/workspace/actions/new/")
    found = {"empty form": axe_violations(browser)}

    recommendations = browser.find_element(By.ID, "id_recommendations_q")
    recommendations.send_keys("detention")
    WebDriverWait(browser, 10).until(lambda d: _listbox_open(d, "recommendations"))
    recommendations.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    recommendations.send_keys("migrant")
    WebDriverWait(browser, 10).until(lambda d: _listbox_open(d, "recommendations"))
    recommendations.send_keys(Keys.ARROW_DOWN)
    found["a chip, the list open"] = axe_violations(browser)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    # The search as made without the script: the form comes back with matches to tick.
    country = browser.find_element(By.ID, "id_countries_q")
    country.send_keys(Keys.ESCAPE, "an")
    # (The script removes the Search buttons; post what one would.)
    browser.execute_script(
        "const form = document.getElementById('id_countries_q').form;"
        "const search = Object.assign(document.createElement('input'),"
        " {type: 'hidden', name: '_search', value: 'countries'});"
        "form.append(search); form.requestSubmit();"
    )
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#id_countries_chooser fieldset")
    )
    found["search results"] = axe_violations(browser)

    assert {name: v for name, v in found.items() if v} == {}
    assert overflow == 0


def test_a_visitor_filters_by_an_organisation_chosen_by_typing_with_the_keyboard_only(
    browser, seeded_live_server
):
    """The public filters' choosers hold one row: a second choice replaces the first."""
    _publish_an_action()  # led by the International Detention Coalition, UNICEF a partner
    base = seeded_live_server.url
    set_viewport(browser, DESKTOP)
    browser.get(f"{base}/recommendations/")

    _tab_to(browser, "the organisations' combobox", "el.id === 'id_stakeholder_q'", limit=200)
    assert _focused(browser, "el.getAttribute('role')") == "combobox"
    _choose_by_typing(browser, "stakeholder", "detention", "International Detention Coalition")
    _choose_by_typing(browser, "stakeholder", "unicef", "United Nations Children")
    assert _chips(browser, "stakeholder") == ["United Nations Children's Fund (UNICEF)"]
    found = axe_violations(browser)

    _tab_to(browser, "the Apply button", "el.textContent.trim() === 'Apply filters'")
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "stakeholder=unicef" in d.current_url)
    assert _chips(browser, "stakeholder") == ["United Nations Children's Fund (UNICEF)"]
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert len(rows) == 1
    assert f"/recommendations/{SLUG}-87/" in rows[0].get_attribute("innerHTML")
    assert found == []

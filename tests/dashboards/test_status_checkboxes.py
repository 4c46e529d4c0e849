"""The status filters (five values) are checkboxes in a fieldset, not a multiple select."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/recommendations/", "/matrix/"])
def test_the_status_filter_is_a_group_of_checkboxes(client, path):
    html = client.get(path, {"status": ["implemented", "not_started"]}).content.decode()

    assert '<select name="status"' not in html
    assert re.search(r'<fieldset class="field checkbox-group">\s*<legend>', html)
    ticked = re.findall(r'<input type="checkbox" name="status" value="(\w+)"[^>]* checked>', html)
    boxes = re.findall(r'<input type="checkbox" name="status" value="(\w+)"', html)
    assert sorted(ticked) == ["implemented", "not_started"]
    assert len(boxes) == 5

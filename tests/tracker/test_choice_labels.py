"""get_FOO_display() of our models (tracker.choice_labels) says what Django's own would, in every
language, for every field with choices, once its map of labels is built."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from gcm_tracker.tracker.choice_labels import QuickChoiceLabels
from gcm_tracker.tracker.enums import ActionType

FIELDS = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, QuickChoiceLabels)
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_model_with_a_status_badge_has_them():
    labelled = {model._meta.label for model, _field in FIELDS}

    assert {
        "tracker.Recommendation",
        "tracker.StatusChange",
        "tracker.FollowUpAction",
        "tracker.Assessment",
        "tracker.AssessmentSubmission",
        "tracker.AssessmentChange",
    } <= labelled


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=lambda x: getattr(x, "name", str(x)))
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_same_label_as_djangos(model, field, language):
    # A value of no choice, no value, and one that cannot be a key (Django answers each).
    values = [value for value, _label in field.flatchoices] + ["not-a-choice", None, ["a"]]
    row = model()
    with translation.override(language):
        for value in values:
            setattr(row, field.attname, value)
            ours = getattr(row, f"get_{field.name}_display")()
            assert ours == models.Model._get_FIELD_display(row, field)
            assert type(ours) is type(models.Model._get_FIELD_display(row, field))


def test_the_label_follows_the_active_language():
    row = apps.get_model("tracker", "FollowUpAction")(action_type=ActionType.TRAINING)

    with translation.override("fr"):
        french = row.get_action_type_display()
    english = row.get_action_type_display()

    assert (english, french) == (
        "Training and capacity building",
        "Formation et renforcement des capacités",
    )

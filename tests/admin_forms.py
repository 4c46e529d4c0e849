"""What an admin change form posts when nothing is changed, for tests that change one field."""

import datetime


def change_form_data(response) -> dict:
    """What the admin change form in `response` would post unchanged: its fields and every
    inline's management form and rows."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial)
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form.initial.get(name, field.initial)
            if callable(value):
                value = value()
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, datetime.datetime):
                data[form.add_prefix(f"{name}_0")] = value.date().isoformat()
                data[form.add_prefix(f"{name}_1")] = value.time().isoformat()
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data

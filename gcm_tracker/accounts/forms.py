from django import forms
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.models import AccountRequest, http_url_validator


class AccountRequestForm(forms.ModelForm):
    organisation_website = forms.URLField(
        label=_("Organisation's website"),
        required=False,
        assume_scheme="https",
        validators=[http_url_validator],
    )

    class Meta:
        model = AccountRequest
        fields = [
            "name",
            "email",
            "organisation_name",
            "organisation_website",
            "country",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gcm_tracker.i18n import profiles
from gcm_tracker.tracker.choosing import PUBLIC_COUNTRIES, ChooserFormMixin, ChooserWidget
from gcm_tracker.tracker.models import AccountRequest, http_url_validator

from .models import Profile


class AccountRequestForm(ChooserFormMixin, forms.ModelForm):
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
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            # Chosen through a search, by ISO code: too many countries for a menu.
            "country": ChooserWidget(PUBLIC_COUNTRIES, single=True),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].to_field_name = PUBLIC_COUNTRIES.key


def _same_address(a: str, b: str) -> bool:
    # As Django compares them: Unicode-normalised and case-folded.
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, but it also e-mails active users who have no usable password yet.

    Django leaves those out because, on sites where some accounts sign in elsewhere (LDAP, single
    sign-on), an unusable password means "no password here". Here every account signs in with a
    password, and an unusable one means a contributor never used the link that came with their
    new account: without this, "forgot password" would be their only way in and would say
    nothing to them.
    """

    def get_users(self, email):
        User = get_user_model()
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _same_address(email, getattr(user, field)))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # In the user's own language when they chose one, else the page's.
        language = profiles.of(context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class LanguageForm(forms.ModelForm):
    """The language a user's pages (when their browser has no language cookie) and e-mails are
    in."""

    language = forms.ChoiceField(
        label=_("Language"),
        # Each language named in itself, as in the menu; the empty choice in the page's language.
        choices=[("", _("None: follow my browser")), *settings.LANGUAGES],
        required=False,
        help_text=_(
            "Pages and e-mails for you are in this language. Without one, pages follow your "
            "browser and e-mails are in English."
        ),
    )

    class Meta:
        model = Profile
        fields = ["language"]

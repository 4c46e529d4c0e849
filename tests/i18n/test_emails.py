"""E-mails are written in each recipient's language: an account's profile language, the
language a list was followed in; an organisation with members of several languages gets one
copy per language."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from gcm_tracker.accounts.models import Profile
from gcm_tracker.follow import mail as follow_mail
from gcm_tracker.follow import tasks
from gcm_tracker.follow.models import Subscription
from gcm_tracker.i18n.mail import by_language
from gcm_tracker.tracker import notifications
from gcm_tracker.tracker.enums import ReviewState
from tests.factories import (
    AssessmentSubmissionFactory,
    ContributorFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def languages_rendered(monkeypatch):
    """The active language each time a follow e-mail's body was rendered."""
    seen = []
    render = follow_mail.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(follow_mail, "render_to_string", spy)
    return seen


def test_a_list_followed_in_french_is_confirmed_and_digested_in_french(
    client, staff, django_capture_on_commit_callbacks, languages_rendered
):
    objective = ObjectiveFactory(number=3)
    recommendation = RecommendationFactory(objectives=[objective])
    url = reverse("follow:subscribe", args=["recommendations"]) + "?objective=3"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"email": "lectrice@example.org", "frequency": "daily"},
            headers={"accept-language": "fr"},
        )
    subscription = Subscription.objects.get()
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Subscription.objects.update(confirmed_at=an_hour_ago, last_sent_through=an_hour_ago)
    set_status(recommendation, staff, reason="Pilote.")
    tasks.send_digests(now=(timezone.now() + datetime.timedelta(days=1)).isoformat())

    assert subscription.language == "fr"
    assert languages_rendered == ["fr", "fr"]
    with translation.override("fr"):
        subject = gettext("Confirm that you want to follow “%(list)s”")
    assert mail.outbox[0].subject.startswith(subject.split("%(list)s")[0].strip())


def test_each_member_is_told_in_their_own_language(thailand, django_capture_on_commit_callbacks):
    organisation = StakeholderFactory()
    french, english = (ContributorFactory(organisation=organisation) for _ in range(2))
    Profile.objects.create(user=french, language="fr")
    submission = AssessmentSubmissionFactory(
        country=thailand,
        stakeholder=organisation,
        review_state=ReviewState.PUBLISHED,
        reviewed_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        notifications.assessment_reviewed(submission)

    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(french.email,), (english.email,)}
    assert "Thaïlande" in by_recipient[(french.email,)].subject
    assert "Thaïlande" in by_recipient[(french.email,)].body
    assert "Thailand" in by_recipient[(english.email,)].subject


def test_recipients_are_grouped_by_language_in_one_query(django_assert_num_queries):
    users = [ContributorFactory() for _ in range(3)]
    Profile.objects.create(user=users[0], language="ru")
    Profile.objects.create(user=users[1], language="")
    addresses = [u.email for u in users] + ["nobody@example.org"]

    with django_assert_num_queries(1):
        groups = by_language(addresses)

    assert groups == [
        ("en", [users[1].email, users[2].email, "nobody@example.org"]),
        ("ru", [users[0].email]),
    ]


@pytest.fixture
def rendered_in(monkeypatch):
    """The active language each time one of our e-mails' templates was rendered, by template."""
    from django.template import loader

    seen = []
    render = loader.render_to_string

    def spy(template_name, *args, **kwargs):
        if str(template_name).startswith(("emails/", "accounts/")) or "password" in str(
            template_name
        ):
            seen.append((template_name, translation.get_language()))
        return render(template_name, *args, **kwargs)

    for module in (loader, notifications, mail_module()):
        monkeypatch.setattr(module, "render_to_string", spy)
    return seen


def mail_module():
    from gcm_tracker.i18n import mail as i18n_mail

    return i18n_mail


def _account_request(**fields):
    from gcm_tracker.tracker.models import AccountRequest

    return AccountRequest.objects.create(
        name="Amina", email="amina@example.org", organisation_name="Organisation A", **fields
    )


def test_an_account_request_is_answered_in_its_own_language(
    client, staff, organisation_a, rendered_in, django_capture_on_commit_callbacks
):
    from gcm_tracker.tracker.services.accounts import (
        account_request_approve,
        account_request_decline,
    )

    staff.is_superuser = True
    staff.save()
    declined = _account_request(language="ru")
    approved = _account_request(language="zh-hans", stakeholder=organisation_a)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        account_request_decline(account_request=declined, reviewer=staff)
        user = account_request_approve(account_request=approved, reviewer=staff)

    assert rendered_in == [
        ("emails/account_request_declined.txt", "ru"),
        ("emails/account_ready.txt", "zh-hans"),
    ]
    assert Profile.objects.get(user=user).language == "zh-hans"


def test_the_account_request_form_keeps_the_pages_language(client):
    from gcm_tracker.tracker.models import AccountRequest

    client.post(
        reverse("accounts:request"),
        {
            "name": "Amina",
            "email": "amina@example.org",
            "organisation_name": "Organisation A",
            "message": "Nous aidons les migrants.",
        },
        headers={"accept-language": "ru"},
    )

    assert AccountRequest.objects.get().language == "ru"


def test_a_password_reset_is_in_the_users_language(client, rendered_in):
    user = ContributorFactory(email="ravi@example.org")
    Profile.objects.create(user=user, language="fr")

    client.post(reverse("accounts:password_reset"), {"email": "ravi@example.org"})

    assert {language for _template, language in rendered_in} == {"fr"}
    assert len(mail.outbox) == 1

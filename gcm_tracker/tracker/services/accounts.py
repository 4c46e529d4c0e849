"""Contributor accounts: created by staff (admin or command) or from an approved request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from gcm_tracker.i18n import profiles

from .. import notifications
from ..enums import AccountRequestState
from ..models import AccountRequest, Membership, Stakeholder
from ..roles import CONTRIBUTORS


def _require_account_manager(user: AbstractBaseUser | None) -> None:
    # None is the system itself (a management command run by an administrator on the server).
    if user is not None and not user.has_perm("tracker.add_membership"):
        raise PermissionDenied(_("You are not allowed to create contributor accounts."))


def _set_password_path(user) -> str:
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def contributor_create(
    *,
    created_by: AbstractBaseUser | None,
    username: str,
    email: str,
    stakeholder: Stakeholder,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> AbstractBaseUser:
    """Create a contributor of `stakeholder` and e-mail them a link to choose their password.

    The account has no usable password until they do. Raises PermissionDenied or ValidationError.
    """
    _require_account_manager(created_by)
    User = get_user_model()
    username, email = username.strip(), email.strip().lower()
    if not username or not email:
        raise ValidationError({"username": _("A user name and an e-mail address are needed.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That user name is taken.")})
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    Membership.objects.create(user=user, stakeholder=stakeholder)
    if language:
        # Their e-mails, this first one included, are in it (i18n.mail).
        profiles.save(user, language)
    notifications.account_ready(user, _set_password_path(user))
    return user


def is_own_request(account_request: AccountRequest, user: AbstractBaseUser) -> bool:
    """Whether `user` may not decide `account_request` (four eyes, as for actions and
    assessments): they sent it (signed in, or from their own e-mail address), or it asks for an
    account of an organisation they are a member of."""
    email = (user.email or "").strip().lower()
    return (
        account_request.requested_by_id == user.pk
        or (email != "" and account_request.email.strip().lower() == email)
        or (
            account_request.stakeholder_id is not None
            and Membership.objects.filter(
                user=user, stakeholder_id=account_request.stakeholder_id
            ).exists()
        )
    )


def require_account_request_reviewer(account_request: AccountRequest, reviewer) -> None:
    """Raise PermissionDenied if `reviewer` may not decide `account_request` (is_own_request)."""
    if reviewer is not None and is_own_request(account_request, reviewer):
        raise PermissionDenied(
            _(
                "You cannot approve or decline an account request of your own or for an "
                "organisation you are a member of; another member of staff must."
            )
        )


def _decide(account_request: AccountRequest, reviewer, state) -> AccountRequest:
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    require_account_request_reviewer(locked, reviewer)
    if locked.state != AccountRequestState.PENDING:
        raise ValidationError({"state": _("This request was already decided.")})
    locked.state, locked.decided_by, locked.decided_at = state, reviewer, timezone.now()
    locked._history_user = reviewer
    return locked


@transaction.atomic
def account_request_approve(
    *, account_request: AccountRequest, reviewer: AbstractBaseUser, username: str = ""
) -> AbstractBaseUser:
    """Create the requested contributor account for the stakeholder staff attached to it.

    Raises PermissionDenied (not an account manager, or the reviewer's own request) or
    ValidationError; nothing is written then."""
    _require_account_manager(reviewer)
    locked = _decide(account_request, reviewer, AccountRequestState.APPROVED)
    if locked.stakeholder_id is None:
        raise ValidationError(
            {"stakeholder": _("Choose the organisation in the tracker this account acts for.")}
        )
    user = contributor_create(
        created_by=reviewer,
        username=username or locked.email,
        email=locked.email,
        stakeholder=locked.stakeholder,
        first_name=locked.name[:150],
        language=locked.language,
    )
    locked.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    return user


@transaction.atomic
def account_request_decline(
    *, account_request: AccountRequest, reviewer: AbstractBaseUser
) -> AccountRequest:
    """Decline the request and tell the requester by e-mail. Raises as account_request_approve."""
    _require_account_manager(reviewer)
    locked = _decide(account_request, reviewer, AccountRequestState.DECLINED)
    locked.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    notifications.account_request_declined(locked)
    return locked

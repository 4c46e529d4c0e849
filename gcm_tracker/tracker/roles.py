"""The two roles, as Django groups with clear names, kept in step with the code on every migrate.

Administrators are superusers. ESCAP staff set statuses, review actions, record official country
assessments, review civil-society ones and edit reference data in the admin (their accounts also
need "staff status" to open the admin). Contributors may write civil-society assessments; for
which organisations, and everything else they may do, follows from their memberships of
stakeholder organisations.

Memberships decide who may write for an organisation, and a reviewer may not review the actions
of their own organisations (four eyes), so they are user management: see MEMBERSHIP_MANAGER.
"""

from django.contrib.auth.models import Group, Permission

STAFF = "ESCAP staff"
CONTRIBUTORS = "Civil society contributors"

_EDITED_BY_STAFF = [
    "consultation",
    "recommendation",
    "goodpractice",
    "stakeholder",
    "membership",
    "followupaction",
    "actionevidence",
    "tag",
    "country",
    "accountrequest",
    "snapshot",
]
STAFF_PERMISSIONS = [
    "set_status",
    "review_followupaction",
    "record_official",
    "review_assessmentsubmission",
    "view_statuschange",
    "view_assessment",
    "view_assessmentchange",
    "view_assessmentsubmission",
    "view_recommendationscopearea",
    "view_objective",
    "view_guidingprinciple",
    *(f"{verb}_{model}" for model in _EDITED_BY_STAFF for verb in ("view", "add", "change")),
]


# Who may add, change or remove the memberships of existing users (the stakeholder admin's
# membership rows): administrators, and staff an administrator gave Django's user-management
# permission "auth | user | Can change user" (the ESCAP staff role does not have it). Nobody but a
# superuser may change their own memberships. Staff still create a new contributor with their
# one membership by approving an account request (tracker.add_membership).
MEMBERSHIP_MANAGER = "auth.change_user"


def may_manage_memberships(user) -> bool:
    return user.is_active and user.has_perm(MEMBERSHIP_MANAGER)


CONTRIBUTOR_PERMISSIONS = ["add_assessmentsubmission", "change_assessmentsubmission"]


def ensure_roles(**kwargs) -> None:
    """Create the groups if missing and give each exactly its permissions."""
    for name, codenames in ((STAFF, STAFF_PERMISSIONS), (CONTRIBUTORS, CONTRIBUTOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames)
        )

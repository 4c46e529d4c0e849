"""Issue 13: each user's set of permissions is read from the database once and then kept in the
cache (accounts.permissions) until a change to users, groups or permissions commits."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from gcm_tracker.accounts import permissions
from gcm_tracker.ops.cache import RedisCache
from gcm_tracker.tracker import roles
from gcm_tracker.tracker.cache import GENERATION_SECONDS, TIMEOUT
from tests.factories import ContributorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request loads it: nothing memoised on the instance."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("factory", [StaffFactory, ContributorFactory, UserFactory])
def test_the_set_is_the_model_backends_and_read_from_the_database_once(
    factory, django_assert_num_queries
):
    user = factory()
    expected = ModelBackend().get_all_permissions(_fresh(user))

    loaded = _fresh(user)
    with django_assert_num_queries(2):  # the user's own, their groups'
        first = loaded.get_all_permissions()
    again = _fresh(user)
    with django_assert_num_queries(0):
        second = again.get_all_permissions()
        assert again.has_perm("tracker.add_assessmentsubmission") == (
            "tracker.add_assessmentsubmission" in expected
        )

    assert first == second == expected


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    superuser = UserFactory(is_superuser=True)
    inactive = StaffFactory(is_active=False)

    assert _fresh(superuser).get_all_permissions() == ModelBackend().get_all_permissions(superuser)
    assert len(_fresh(superuser).get_all_permissions()) == Permission.objects.count()
    assert _fresh(inactive).get_all_permissions() == set()
    assert not _fresh(inactive).has_perm("tracker.record_official")


def test_permissions_on_an_object_are_not_granted():
    staff = StaffFactory()

    assert _fresh(staff).get_all_permissions(obj=Group.objects.first()) == set()


def test_joining_a_group_is_seen_once_committed(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert not _fresh(user).has_perm("tracker.add_assessmentsubmission")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.groups.add(Group.objects.get(name=roles.CONTRIBUTORS))
    # Not before the commit: another request would read the old set and keep it.
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()

    assert _fresh(user).has_perm("tracker.add_assessmentsubmission")


@pytest.mark.parametrize(
    "change",
    [
        lambda user, group, perm: group.permissions.remove(perm),
        lambda user, group, perm: perm.group_set.remove(group),
        lambda user, group, perm: group.user_set.remove(user),
        lambda user, group, perm: user.groups.clear(),
        lambda user, group, perm: group.delete(),
        lambda user, group, perm: setattr(user, "is_active", False) or user.save(),
    ],
    ids=["group loses it", "it loses the group", "group loses user", "user leaves all",
         "group deleted", "user deactivated"],
)  # fmt: skip
def test_every_way_of_losing_a_permission_is_seen(change, django_capture_on_commit_callbacks):
    user = ContributorFactory()
    group = Group.objects.get(name=roles.CONTRIBUTORS)
    perm = Permission.objects.get(codename="add_assessmentsubmission")
    assert _fresh(user).has_perm("tracker.add_assessmentsubmission")

    with django_capture_on_commit_callbacks(execute=True):
        change(user, group, perm)

    assert not _fresh(user).has_perm("tracker.add_assessmentsubmission")


def test_a_direct_permission_is_seen(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert not _fresh(user).has_perm("tracker.record_official")

    with django_capture_on_commit_callbacks(execute=True):
        user.user_permissions.add(Permission.objects.get(codename="record_official"))

    assert _fresh(user).has_perm("tracker.record_official")


def test_signing_in_moves_nothing_on(client):
    user = ContributorFactory()
    _fresh(user).get_all_permissions()
    generation = cache.get(permissions.GENERATION_KEY)

    client.force_login(user)  # saves last_login only

    assert cache.get(permissions.GENERATION_KEY) == generation


def test_a_cache_that_lost_the_generation_reads_every_set_again(django_assert_num_queries):
    user = ContributorFactory()
    _fresh(user).get_all_permissions()
    cache.delete(permissions.GENERATION_KEY)

    loaded = _fresh(user)
    with django_assert_num_queries(2):
        found = loaded.get_all_permissions()

    assert "tracker.add_assessmentsubmission" in found
    assert cache.get(permissions.GENERATION_KEY) is not None


def test_a_set_is_kept_briefly_in_a_cache_other_processes_do_not_share():
    own = LocMemCache("permissions-test", {})
    shared = RedisCache("redis://127.0.0.1:6379/15", {})  # not connected: only its kind counts

    assert (permissions.kept_seconds(own), permissions.kept_seconds(shared)) == (
        GENERATION_SECONDS,
        TIMEOUT,
    )
    assert (GENERATION_SECONDS, TIMEOUT) == (5, 15 * 60)

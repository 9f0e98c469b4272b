"""The one permission rule every app's access builds on: who is staff where, holding what."""

import pytest

from portal.core.access import (
    Permission,
    boards_for,
    boards_with_permission,
    has_board_permission,
    staff_boards,
)
from portal.core.models import StaffMembership, User
from tests.factories import StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("permission", list(Permission))
def test_a_permission_holds_only_on_the_board_where_it_was_given(permission, board_a, board_b):
    membership = StaffMembershipFactory(
        board=board_a, **{flag.value: flag == permission for flag in Permission}
    )
    StaffMembershipFactory(
        user=membership.user, board=board_b, **{p.value: False for p in Permission}
    )

    assert has_board_permission(membership.user, board_a, permission)
    assert not has_board_permission(membership.user, board_b, permission)
    assert list(boards_with_permission(membership.user, permission)) == [board_a]
    for other in set(Permission) - {permission}:
        assert not has_board_permission(membership.user, board_a, other)


def test_boards_with_any_of_several_permissions_read_each_membership_on_its_own(board_a, board_b):
    approves = StaffMembershipFactory(
        board=board_a, **{p.value: p == Permission.APPROVE_CLAIMS for p in Permission}
    )
    user = approves.user
    StaffMembershipFactory(
        user=user, board=board_b, **{p.value: p == Permission.MANAGE_REPS for p in Permission}
    )

    either = boards_with_permission(user, Permission.APPROVE_CLAIMS, Permission.PAY_CLAIMS)
    assert list(either) == [board_a]
    # Managing reps on board B and paying nowhere: the permissions are never mixed across boards.
    assert not boards_with_permission(user, Permission.PAY_CLAIMS).exists()
    assert list(boards_with_permission(user, Permission.PAY_CLAIMS, Permission.MANAGE_REPS)) == [
        board_b
    ]


def test_every_permission_is_a_flag_on_the_membership():
    flags = {field.name for field in StaffMembership._meta.fields if field.name.startswith("can_")}
    assert {permission.value for permission in Permission} == flags


@pytest.mark.parametrize(
    "role", [User.Role.REP, User.Role.NATIONAL_VIEWER, User.Role.ADMINISTRATOR]
)
def test_only_staff_hold_board_permissions(role, board_a):
    # A membership left behind after someone's role changed gives them nothing.
    membership = StaffMembershipFactory(
        board=board_a, user=UserFactory(role=role), **{p.value: True for p in Permission}
    )
    for permission in Permission:
        assert not has_board_permission(membership.user, board_a, permission)
        assert not boards_with_permission(membership.user, permission).exists()
    assert not staff_boards(membership.user).exists()


def test_staff_see_the_boards_they_support_and_no_other(staff_a, board_a, board_b):
    assert list(boards_for(staff_a)) == [board_a]
    assert list(staff_boards(staff_a)) == [board_a]


def test_a_rep_sees_their_own_board_and_a_national_viewer_no_boards_records(
    rep_a1, board_a, board_b
):
    national = UserFactory(role=User.Role.NATIONAL_VIEWER)
    assert list(boards_for(rep_a1)) == [board_a]
    assert not boards_for(national).exists()

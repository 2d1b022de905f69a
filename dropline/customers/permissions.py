"""What a member of an account may do there.

The account holder runs the account: services, security and the people on it.
An authorized user may look at the account and pay its bills, and change plans and
add-ons only when the holder has allowed it.
Every portal and API page that changes something asks one of these first.
"""

from __future__ import annotations

from dropline.customers.models import AccountMember, MemberRole


def can_view_account(membership: AccountMember | None) -> bool:
    """Holders and authorized users both see the account."""
    return membership is not None


def can_pay_bills(membership: AccountMember | None) -> bool:
    """Holders and authorized users both pay bills."""
    return membership is not None


def can_manage_account(membership: AccountMember | None) -> bool:
    """Change services, security settings and the people on the account: the holder only."""
    return membership is not None and membership.role == MemberRole.HOLDER


def can_manage_people(membership: AccountMember | None) -> bool:
    """Invite and remove authorized users: the holder only."""
    return can_manage_account(membership)


def can_change_services(membership: AccountMember | None) -> bool:
    """Change plans and add-ons: the holder, or an authorized user the holder allowed."""
    if membership is None:
        return False
    return membership.role == MemberRole.HOLDER or (
        membership.role == MemberRole.AUTHORIZED and membership.may_change_services
    )

import pytest

from dropline.customers.models import AccountMember, CustomerAccount, MemberRole
from dropline.customers.onboarding import OnboardingError, add_member, open_account
from tests.support.factories import make_customer, make_user


@pytest.mark.django_db
def test_an_account_has_exactly_one_holder():
    customer = make_customer(username="ana")
    other = make_user(username="ben")
    with pytest.raises(OnboardingError, match="holder"):
        add_member(account=customer.account, user=other, role=MemberRole.HOLDER)
    add_member(account=customer.account, user=other, role=MemberRole.AUTHORIZED)
    assert AccountMember.objects.filter(account=customer.account).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("day", [0, 32])
def test_bill_cycle_day_outside_1_to_31_changes_nothing(day):
    address = make_customer(username="cy").account.service_address
    before = CustomerAccount.objects.count()
    with pytest.raises(OnboardingError, match="bill_cycle_day"):
        open_account(name="X", service_address=address, bill_cycle_day=day)
    assert CustomerAccount.objects.count() == before

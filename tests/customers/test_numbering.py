import pytest

from dropline.customers.numbering import (
    allocate_account_numbers,
    is_valid_account_number,
    luhn_check_digit,
    normalize_account_number,
)


def test_luhn_check_digit_matches_the_standard_example():
    assert luhn_check_digit("7992739871") == "3"


@pytest.mark.django_db
def test_allocated_numbers_are_unique_valid_and_12_digits():
    numbers = allocate_account_numbers(50) + allocate_account_numbers(50)
    assert len(set(numbers)) == 100
    assert all(len(n) == 12 and is_valid_account_number(n) for n in numbers)


@pytest.mark.django_db
def test_a_single_mistyped_digit_is_caught():
    (number,) = allocate_account_numbers(1)
    for position in range(len(number)):
        wrong = str((int(number[position]) + 1) % 10)
        typo = number[:position] + wrong + number[position + 1 :]
        assert not is_valid_account_number(typo)


def test_people_can_type_numbers_with_spaces_or_dashes():
    assert normalize_account_number("8260 0000 0016") == "826000000016"
    assert normalize_account_number("8260-0000-0016") == "826000000016"

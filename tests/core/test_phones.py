"""Phone numbers: stored as E.164, shown the way people write them, in either language."""

from django.utils import translation

from dropline.core.phones import display_phone


def test_a_us_number_reads_as_people_in_the_us_write_it():
    assert display_phone("+13195550142") == "(319) 555-0142"


def test_a_number_from_abroad_keeps_its_country_code():
    assert display_phone("+525512345678") == "+52 55 1234 5678"
    assert display_phone("+447911123456") == "+44 7911 123456"
    # Seen from another country, a US number is international too.
    assert display_phone("+13195550142", region="MX") == "+1 319-555-0142"


def test_the_format_is_the_same_in_english_and_spanish():
    for language in ("en", "es"):
        with translation.override(language):
            assert display_phone("+13195550142") == "(319) 555-0142"


def test_nothing_or_something_unreadable_is_shown_as_it_is():
    assert display_phone("") == ""
    assert display_phone("not a number") == "not a number"
    assert "+" not in display_phone("+13195550142")  # never the raw E.164 at home

import pytest

from dropline.core.sequences import reserve


@pytest.mark.django_db
def test_reserved_ranges_never_overlap():
    first = reserve(name="invoice", count=3)
    second = reserve(name="invoice", count=2)
    assert list(first) == [1, 2, 3]
    assert list(second) == [4, 5]


@pytest.mark.django_db
def test_sequences_are_independent():
    reserve(name="a", count=5)
    assert list(reserve(name="b")) == [1]


@pytest.mark.django_db
def test_count_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        reserve(name="a", count=0)

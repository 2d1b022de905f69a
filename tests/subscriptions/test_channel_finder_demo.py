"""The demo household's TV package has a line-up the finder can answer from."""

from dropline.seeding.demo.household import loaded_account
from dropline.subscriptions.channels import find_channels


def _one(query):
    account = loaded_account()
    assert account is not None
    [channel] = find_channels(account=account, query=query).results
    return channel


def test_the_demo_household_finds_channels_in_and_out_of_its_package(demo):
    # TV Silver has the local channels; the Latino Pack brings Deportes Uno.
    assert _one("WQPT").in_my_package
    assert _one("deportes").in_my_package
    assert _one("World Soccer").in_my_package  # the Sports Pack
    # Premiere Cinema: the movie pack ($12.99) is cheaper than TV Gold ($109.99 against
    # the household's $89.99 for TV Silver).
    cinema = _one("90")
    assert not cinema.in_my_package
    assert [(c.code, c.monthly_difference.amount_minor) for c in cinema.changes] == [
        ("premiere-pack", 1299),
        ("tv-gold", 2000),
    ]
    action = _one("action movies")
    assert [(c.code, c.monthly_difference.amount_minor) for c in action.changes] == [
        ("tv-gold", 2000)
    ]

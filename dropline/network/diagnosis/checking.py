"""Running the connection check for an account: limited per account, then gathered,
decided and put in words. Portal and API both call ``check_connection``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from dropline.core import ratelimit
from dropline.customers.models import CustomerAccount
from dropline.network.diagnosis.diagnose import Answer, diagnose
from dropline.network.diagnosis.facts import Facts
from dropline.network.diagnosis.gather import gather
from dropline.network.diagnosis.words import Explanation, explain

# Each check asks device management about every device on the account: a few a minute
# is plenty for a person, and the same counter holds whether they use the web or the app.
CHECKS_PER_ACCOUNT = ratelimit.Limit.per("connection_check:account", 10, dt.timedelta(minutes=10))


class TooManyChecksError(Exception):
    """The account's checks ran out for now; ``retry_after`` says for how long."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        super().__init__(f"too many connection checks, retry after {retry_after}")
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))


@dataclass(frozen=True, slots=True)
class CheckResult:
    facts: Facts
    answer: Answer
    words: Explanation


def check_connection(*, account: CustomerAccount, language: str) -> CheckResult:
    """The connection check for ``account`` (already scoped to the person asking), in
    ``language``. Raises ``TooManyChecksError`` past ``CHECKS_PER_ACCOUNT``."""
    try:
        ratelimit.enforce(CHECKS_PER_ACCOUNT, f"account:{account.pk}")
    except ratelimit.ThrottledError as exc:
        raise TooManyChecksError(exc.retry_after) from exc
    facts = gather(account=account, language=language)
    answer = diagnose(facts)
    return CheckResult(facts=facts, answer=answer, words=explain(answer, facts, language=language))

"""Scale out: the same code as two web nodes (``dropline serve``, gunicorn, each on its
own port, behind a round-robin proxy) and two Celery workers (``dropline worker``) on
RabbitMQ, sharing PostgreSQL for the data and Redis for the cache and rate limits,
all real processes on this machine.

- A bill run's chunks go to both workers (each chunk names the worker that took it),
  and every account is billed once, with the books in order.
- Failed sign-ins sent to one node and then the other count together: the limit comes
  at the same number of tries as on one node, and then holds on both.
- A session made through the proxy works on either node, and signing out on one ends
  it on the other.

Skipped unless PostgreSQL, Redis and RabbitMQ are reachable (a failure instead with
``DROPLINE_REQUIRE_SERVICES=1``); see ``tests/support/scale_out.py`` for the names of
its database, Redis database and vhost, and how to choose them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.scale_out import Browser, Cluster, Page, Services, running_cluster
from tests.support.services import need

pytestmark = [pytest.mark.scaleout, pytest.mark.postgres, pytest.mark.redis]

ACCOUNTS = 200
CHUNK_SIZE = 34  # 200 accounts in 6 chunks
RUN_ON = "2026-02-05"  # the seeded accounts' cycle starts on the 5th
WRONG = "not-the-password-at-all"
LIMITED = "Too many tries"
MISMATCH = "That username and password do not match"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    services = Services.from_environment()
    missing = services.missing()
    need(missing is None, missing or "")
    with running_cluster(
        services, tmp_path_factory.mktemp("scale-out"), accounts=ACCOUNTS
    ) as started:
        yield started


def customer(cluster: Cluster, username: str) -> dict[str, Any]:
    customers: dict[str, dict[str, Any]] = cluster.seeded["customers"]  # type: ignore[assignment]
    return customers[username]


def test_a_bill_runs_chunks_are_taken_by_both_workers_and_every_account_is_billed_once(
    cluster: Cluster,
):
    done = cluster.dropline(
        "bill-run", "--date", RUN_ON, "--chunk-size", str(CHUNK_SIZE), "--no-progress",
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Bill run {RUN_ON}: Completed" in done.stdout
    assert f"  billed     {ACCOUNTS}" in done.stdout

    db = cluster.services
    chunks = db.query(
        "SELECT c.status, c.taken_by FROM billing_billrunchunk c "
        "JOIN billing_billrun r ON r.id = c.run_id WHERE r.run_on = %s ORDER BY c.index",
        RUN_ON,
    )
    assert len(chunks) == 6
    assert {status for status, _ in chunks} == {"done"}
    per_worker: dict[str, int] = {}
    for _, taken_by in chunks:
        name = str(taken_by).split("@", 1)[0]
        per_worker[name] = per_worker.get(name, 0) + 1
    # Both workers took chunks, and nothing else did (the command queued every one).
    assert set(per_worker) == {"scale-a", "scale-b"}, chunks
    assert sum(per_worker.values()) == 6

    # Every account billed once, numbered without gaps, told once; the books balance.
    assert db.query(
        "SELECT count(*), count(DISTINCT account_id), min(sequence), max(sequence) "
        "FROM billing_invoice WHERE period_start = %s",
        RUN_ON,
    ) == [(ACCOUNTS, ACCOUNTS, 1, ACCOUNTS)]
    told = db.query(
        "SELECT channel, count(*), count(DISTINCT subject_key) FROM notifications_message "
        "WHERE event = 'invoice_ready' GROUP BY channel"
    )
    assert told, "no bill-ready message at all"
    assert all(messages == bills == ACCOUNTS for _, messages, bills in told), told
    checked = cluster.dropline("ledger", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert db.query("SELECT count(*) FROM billing_invoice") == [(ACCOUNTS,)]


def _failures_until_limited(
    cluster: Cluster, browser: Browser, username: str, nodes: list[str]
) -> int:
    """Wrong passwords sent to ``nodes`` in turn until one is refused as too many;
    returns how many were taken (and said wrong) before that."""
    token = browser.get(cluster.nodes[nodes[0]], "/accounts/login/").hidden("csrfmiddlewaretoken")
    for attempt in range(30):
        node = cluster.nodes[nodes[attempt % len(nodes)]]
        page = browser.post(
            node,
            "/accounts/login/",
            {"login": username, "password": WRONG, "csrfmiddlewaretoken": token},
        )
        assert page.status in {200, 429}, (page.status, page.text[:300])
        assert "sessionid" not in browser.cookies
        if LIMITED in page.text:
            return attempt
        assert MISMATCH in page.text, page.text[:2000]
    raise AssertionError(f"{username}: 30 wrong passwords and never limited")


def test_failed_sign_ins_on_both_nodes_count_together(cluster: Cluster):
    # On one node, from one address: the limit comes after this many wrong passwords.
    on_one = _failures_until_limited(cluster, Browser("127.0.0.2"), "limitone", ["node-a"])
    assert on_one >= 2
    # The same, alternately on node A and node B (directly, from another address):
    # the nodes share the count, so the limit comes at the same total, not twice it.
    browser = Browser("127.0.0.3")
    on_both = _failures_until_limited(cluster, browser, "limittwo", ["node-a", "node-b"])
    assert on_both == on_one

    # Once reached, the limit holds on both nodes, even for the right password...
    password = customer(cluster, "limittwo")["password"]
    for node in ("node-a", "node-b"):
        page = browser.sign_in(cluster.nodes[node], "limittwo", password)
        assert page.status in {200, 429}
        assert LIMITED in page.text
        assert "sessionid" not in browser.cookies
    # ...for that login from that address only: the person gets in from another.
    elsewhere = Browser("127.0.0.4")
    page = elsewhere.sign_in(cluster.nodes["node-b"], "limittwo", password)
    assert page.status == 302, page.text[:2000]
    assert "sessionid" in elsewhere.cookies


def _overview(browser: Browser, base: str) -> Page:
    return browser.get(base, "/")


def test_a_session_works_on_every_node_and_signing_out_on_one_ends_it_on_all(cluster: Cluster):
    proxy = cluster.proxy
    assert proxy is not None
    me = customer(cluster, "scaleuser")
    browser = Browser()
    # Through the proxy: the form from one node, the post to the other.
    signed_in = browser.sign_in(proxy.url, "scaleuser", me["password"])
    assert signed_in.status == 302, signed_in.text[:2000]
    assert "/accounts/login/" not in signed_in.location
    session = browser.cookies["sessionid"]
    for _ in range(2):  # through the proxy, to each node in turn
        page = _overview(browser, proxy.url)
        assert page.status == 200
        assert me["account"] in page.text
    assert set(proxy.served.values()) != {0}
    assert len(proxy.served) == 2

    # The same cookie on each node directly.
    for node in ("node-b", "node-a"):
        page = _overview(browser, cluster.nodes[node])
        assert page.status == 200, (node, page.status, page.location)
        assert me["account"] in page.text
        assert me["name"] in page.text

    # Signed out on node B: the session is over on node A too, even for a copy of
    # the cookie kept from before.
    token = browser.get(cluster.nodes["node-b"], "/accounts/logout/").hidden("csrfmiddlewaretoken")
    out = browser.post(cluster.nodes["node-b"], "/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert out.status == 302
    assert "sessionid" not in browser.cookies
    kept = Browser(cookies={"sessionid": session})
    for node in ("node-a", "node-b"):
        page = _overview(kept, cluster.nodes[node])
        assert page.status == 302, (node, page.status)
        assert "/accounts/login/" in page.location
        assert me["account"] not in page.text

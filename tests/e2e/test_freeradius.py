"""A real FreeRADIUS 3 posting accounting to the live test server through its ``rest``
module, as a provider would run it: ``radclient`` sends Start, Interim-Update (with
gigawords) and Stop, one of them twice, and the subscription's usage is what the
packets said, counted once.

FreeRADIUS runs as the current user with a raddb built in a temporary directory from
Debian's ``/etc/freeradius/3.0``: no modules but ``always``, ``expr``, ``preprocess``
and ``rest``; one virtual server listening for accounting on a free port, running
``acct_unique`` in preacct and ``rest`` in accounting (``body = 'json'`` or
``'post'``, ``auth = 'basic'`` with a collector's credentials); one client, 127.0.0.1.
Skipped without FreeRADIUS, unless ``DROPLINE_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dropline.usage import collectors
from dropline.usage.models import UsageSession
from tests.support.servers import free_port
from tests.support.services import need
from tests.support.usage_sources import internet_service, used_bytes

pytestmark = [pytest.mark.freeradius, pytest.mark.django_db(transaction=True)]

FREERADIUS = "/usr/sbin/freeradius"
RADCLIENT = "/usr/bin/radclient"
DEBIAN_RADDB = Path("/etc/freeradius/3.0")
SECRET = "testing123"
MODULES = ("always", "expr", "preprocess")
G = 2**32

REST_MODULE = """rest {{
\tconnect_uri = "{url}"
\taccounting {{
\t\turi = "${{..connect_uri}}"
\t\tmethod = 'post'
\t\tbody = '{body}'
\t\tauth = 'basic'
\t\tusername = "{username}"
\t\tpassword = "{password}"
\t\trequire_auth = yes
\t\ttimeout = 4
\t}}
\tpool {{
\t\tstart = 0
\t\tmin = 0
\t\tmax = 4
\t\tspare = 1
\t\tuses = 0
\t\tretry_delay = 1
\t\tlifetime = 0
\t\tidle_timeout = 60
\t}}
}}
"""

SITE = """server default {{
\tlisten {{
\t\ttype = acct
\t\tipaddr = 127.0.0.1
\t\tport = {port}
\t}}
\tpreacct {{
\t\tpreprocess
\t\tacct_unique
\t}}
\taccounting {{
\t\trest
\t}}
}}
"""


def build_raddb(root: Path, *, url: str, body: str, username: str, password: str) -> int:
    """A raddb under ``root`` posting accounting to ``url``; returns its accounting port."""
    need(Path(FREERADIUS).exists() and Path(RADCLIENT).exists(), "FreeRADIUS is not installed")
    need(DEBIAN_RADDB.is_dir(), "Debian's FreeRADIUS configuration is not installed")
    raddb = root / "raddb"
    shutil.copytree(DEBIAN_RADDB, raddb, symlinks=True)
    for folder in ("mods-enabled", "sites-enabled"):
        for entry in (raddb / folder).iterdir():
            entry.unlink()
    for module in MODULES:
        (raddb / "mods-enabled" / module).symlink_to(f"../mods-available/{module}")
    for folder in ("log", "run"):
        (root / folder).mkdir()
    conf = raddb / "radiusd.conf"
    lines = []
    for line in conf.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith(("user = ", "group = ")):
            continue  # run as whoever runs the tests
        if stripped.startswith("logdir = "):
            line = f"logdir = {root / 'log'}"
        elif stripped.startswith("run_dir = "):
            line = f"run_dir = {root / 'run'}"
        lines.append(line)
    conf.write_text("\n".join(lines) + "\n")
    (raddb / "clients.conf").write_text(
        f"client localhost {{\n\tipaddr = 127.0.0.1\n\tsecret = {SECRET}\n}}\n"
    )
    (raddb / "mods-enabled" / "rest").write_text(
        REST_MODULE.format(url=url, body=body, username=username, password=password)
    )
    port = free_port()
    (raddb / "sites-enabled" / "dropline").write_text(SITE.format(port=port))
    return port


@pytest.fixture
def freeradius(tmp_path: Path, live_server, request) -> Iterator[int]:
    """FreeRADIUS posting to the live server with a new collector's credentials, with
    ``body`` from the test's parameter (``json`` unless given); its accounting port."""
    body = getattr(request, "param", "json")
    collectors.forget_all()
    collector, password = collectors.add_collector(name="radius-e2e")
    port = build_raddb(
        tmp_path,
        url=f"{live_server.url}/api/v1/radius/accounting",
        body=body,
        username=collector.name,
        password=password,
    )
    log = (tmp_path / "freeradius.log").open("wb")
    process = subprocess.Popen(
        [FREERADIUS, "-X", "-d", str(tmp_path / "raddb")], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while b"Ready to process requests" not in (tmp_path / "freeradius.log").read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "FreeRADIUS did not start:\n"
                    + (tmp_path / "freeradius.log").read_text(errors="replace")[-3000:]
                )
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def send(port: int, attributes: dict[str, str | int]) -> None:
    """One accounting packet through ``radclient``, which must get FreeRADIUS's answer
    (FreeRADIUS answers only once the rest module's POST succeeded)."""
    text = "\n".join(
        f'{name} = "{value}"' if isinstance(value, str) else f"{name} = {value}"
        for name, value in attributes.items()
    )
    done = subprocess.run(
        [RADCLIENT, "-r", "1", "-t", "8", f"127.0.0.1:{port}", "acct", SECRET],
        input=text.encode(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert b"Received Accounting-Response" in done.stdout, done.stdout + done.stderr


def session(status: str, **counters: int) -> dict[str, str | int]:
    return {
        "User-Name": "cust-0001",
        "NAS-IP-Address": "127.0.0.1",
        "Acct-Status-Type": status,
        "Acct-Session-Id": "e2e-1",
        **{name.replace("_", "-"): value for name, value in counters.items()},
    }


@pytest.mark.parametrize("freeradius", ["json", "post"], indirect=True)
def test_start_interim_and_stop_from_freeradius_count_once(freeradius):
    service = internet_service("cust-0001")
    send(freeradius, session("Start", Acct_Session_Time=0))
    interim = session(
        "Interim-Update",
        Acct_Input_Octets=1_000_000,
        Acct_Output_Octets=5_000_000,
        Acct_Output_Gigawords=1,
        Acct_Session_Time=600,
    )
    send(freeradius, interim)
    send(freeradius, interim)  # the same packet again
    assert used_bytes(service) == 1_000_000 + G + 5_000_000
    send(
        freeradius,
        session(
            "Stop",
            Acct_Input_Octets=3_000_000,
            Acct_Output_Octets=7_000_000,
            Acct_Output_Gigawords=1,
            Acct_Session_Time=900,
        ),
    )
    assert used_bytes(service) == 3_000_000 + G + 7_000_000
    only = UsageSession.objects.get()
    assert only.subscription == service
    assert only.stopped_at is not None
    assert len(only.key) == 32  # acct_unique's Acct-Unique-Session-Id, not the fallback key


def test_accounting_on_from_freeradius_is_accepted_and_counts_nothing(freeradius):
    service = internet_service("cust-0001")
    send(freeradius, {"NAS-IP-Address": "127.0.0.1", "Acct-Status-Type": "Accounting-On"})
    assert used_bytes(service) == 0
    assert not UsageSession.objects.exists()

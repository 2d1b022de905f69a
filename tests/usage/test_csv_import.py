"""Usage files: a good file counted whole, once, however often it is imported; a file
with any bad line refused whole, with every bad line's number and reason, and nothing
counted; the command lists the errors and exits non-zero."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dropline.usage.csv_import import HEADER, MAX_ERRORS, import_usage_file
from dropline.usage.errors import ImportRefusedError
from dropline.usage.models import ImportStatus, UsageImport, UsageRecord
from tests.support.factories import make_user
from tests.support.usage_sources import internet_service, used_bytes

pytestmark = pytest.mark.django_db

GOOD = f"""{HEADER}
r-1,alice,2026-12-01T00:00:00+00:00,2026-12-01T01:00:00+00:00,1000,250000
r-2,alice,2026-12-01T01:00:00+00:00,2026-12-01T02:00:00+00:00,5,5
r-3,+13195550101,2026-12-02T10:00:00-06:00,2026-12-02T10:30:00-06:00,0,70
""".encode()


def test_a_good_file_is_counted_and_recorded():
    alice = internet_service("alice")
    staff = make_user(username="billing", is_staff=True)
    done = import_usage_file(file_name="dec.csv", data=GOOD, actor=staff)
    assert used_bytes(alice) == 1000 + 250000 + 5 + 5
    assert (done.status, done.lines, done.imported_by) == (ImportStatus.IMPORTED, 3, staff)
    assert done.counted_bytes == 1000 + 250000 + 10 + 70
    kept_aside = UsageRecord.objects.get(username="+13195550101")
    assert kept_aside.subscription_id is None


def test_importing_the_same_file_again_counts_nothing_twice():
    alice = internet_service("alice")
    import_usage_file(file_name="dec.csv", data=GOOD, actor=None)
    again = import_usage_file(file_name="dec-again.csv", data=GOOD, actor=None)
    assert again.counted_bytes == 0
    assert used_bytes(alice) == 251010
    assert UsageImport.objects.filter(status=ImportStatus.IMPORTED).count() == 2


def test_a_file_with_bad_lines_is_refused_whole_naming_every_bad_line():
    alice = internet_service("alice")
    data = f"""{HEADER}
r-1,alice,2026-12-01T00:00:00+00:00,2026-12-01T01:00:00+00:00,1000,250000
r-2,alice,2026-12-01T01:00:00,2026-12-01T02:00:00+00:00,5,5
r-3,alice,2026-12-01T01:00:00+00:00,2026-12-01T02:00:00+00:00,-5,5
r-4,,2026-12-01T01:00:00+00:00,2026-12-01T02:00:00+00:00,5,5
r-1,alice,2026-12-01T03:00:00+00:00,2026-12-01T04:00:00+00:00,5,5
r-6,alice,2026-12-01T05:00:00+00:00,2026-12-01T04:00:00+00:00,5,5
r-7,alice,2026-12-01T05:00:00+00:00
r-8,alice,tomorrow,2026-12-01T04:00:00+00:00,5,5
""".encode()
    with pytest.raises(ImportRefusedError) as raised:
        import_usage_file(file_name="bad.csv", data=data, actor=None)
    errors = dict(raised.value.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "started_at has no offset" in errors[3]
    assert "input_bytes '-5' is not a whole number" in errors[4]
    assert "identifier is empty" in errors[5]
    assert "same as on line 2" in errors[6]
    assert "ended_at is before started_at" in errors[7]
    assert "has 3 columns" in errors[8]
    assert "started_at 'tomorrow'" in errors[9]
    assert used_bytes(alice) == 0
    assert not UsageRecord.objects.exists()
    refused = UsageImport.objects.get()
    assert refused.status == ImportStatus.REFUSED
    assert [tuple(e) for e in refused.errors] == raised.value.errors


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"id,user,start\n", "header"),
        (HEADER.encode() + b"\n", "no records"),
        (HEADER.encode() + b"\nr-1,\xff\xfe,x,y,1,2\n", "not UTF-8"),
    ],
)
def test_a_file_that_is_no_usage_file_is_refused(data, reason):
    with pytest.raises(ImportRefusedError) as raised:
        import_usage_file(file_name="x.csv", data=data, actor=None)
    assert reason in raised.value.errors[0][1]


def test_a_file_with_very_many_bad_lines_lists_the_first_ones_and_how_many_more():
    lines = [HEADER] + [f"r-{n},alice,bad,bad,1,1" for n in range(MAX_ERRORS + 25)]
    with pytest.raises(ImportRefusedError) as raised:
        import_usage_file(file_name="x.csv", data="\n".join(lines).encode(), actor=None)
    assert len(raised.value.errors) == MAX_ERRORS + 1
    assert raised.value.errors[-1][1] == "25 more line(s) have errors."


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    alice = internet_service("alice")
    data = b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n")
    import_usage_file(file_name="excel.csv", data=data, actor=None)
    assert used_bytes(alice) == 251010


def test_the_command_imports_a_file(tmp_path):
    alice = internet_service("alice")
    path = tmp_path / "dec.csv"
    path.write_bytes(GOOD)
    out = io.StringIO()
    call_command("usage", "import", str(path), stdout=out)
    assert "3 record(s) imported" in out.getvalue()
    assert used_bytes(alice) == 251010


def test_the_command_lists_each_bad_line_and_exits_non_zero(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(GOOD + b"r-9,alice,x,y,1,1\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("usage", "import", str(path), stderr=err)
    assert exited.value.code == 1
    assert "bad.csv: line 5: started_at 'x' is not an ISO 8601" in err.getvalue()
    assert "nothing imported" in err.getvalue()
    assert not UsageRecord.objects.exists()


def test_prune_says_what_it_removed():
    out = io.StringIO()
    call_command("usage", "prune", stdout=out)
    assert out.getvalue().startswith("Pruned: ")
    assert "raw record(s)" in out.getvalue()

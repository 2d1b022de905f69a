"""The load test's people: customers on the portal and staff in the back-office.

Run by ``bench.load_test`` (which prepares the database, the logins and the server);
the people file it writes is named by ``DROPLINE_LOAD_PEOPLE`` and the number of staff
by ``DROPLINE_LOAD_STAFF``. Every response is checked: its status and a mark of the
right page (the account number on the overview, the page's heading, a PDF's first
bytes, the confirmation number on a receipt), so a sign-in page or an error page
answered with 200 is a failure too. Redirects are not followed blindly: the answer to
a form must send the browser where the product sends it.

Customers come for a visit: they sign in (a different customer each visit, taken in
turn from the logins the runner picked, none with a second factor), look at a few
pages with 3 to 12 seconds of think time between them, and sign out; then the next
customer comes. The mix, by weight (each task signs in first when no one is):

- 30: the overview (also the landing after each sign-in);
- 15: the bills, then one bill;
- 10: data usage;
- 5: a bill's PDF;
- 5: paying the amount due;
- 5: notification settings (one time in four, a box changed and saved);
- 8: signing out (the visit ends).

Paying is the product's whole flow: the pay page; a first-time payer saves the
simulator's approving test card (the add page asks for the password again, as before
any change to payment methods, and the card goes through the simulator's own form);
the form posted with the amount due and the saved card; the redirect to the receipt,
which must carry the confirmation number and say the payment is made. A customer with
nothing due looks at the pay page and leaves it.

Staff sign in once with their password and their authenticator app's current code
(a code is never used twice), do not trust the shared browser, and work for the whole
run, 5 to 20 seconds between tasks: by weight, 10 a search for a customer (by account
number, or by name) and the account opened; 4 the queues (customer care: the tickets
and one ticket; billing: the bill runs and the invoices); 2 the disputes. Static files are not
fetched (browsers keep them; whitenoise serves them without Django).

With ``DROPLINE_LOAD_SMOKE=1`` (the tests' smoke run) each person does every task once,
in order, without think time, and the run ends.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import random
import re
import struct
import threading
import time
from collections.abc import Iterator
from itertools import count
from typing import Any, NoReturn
from urllib.parse import quote, urlencode, urlsplit

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser, ResponseContextManager

from bench.load.forms import csrf_token, form_for

PEOPLE = json.loads(open(os.environ["DROPLINE_LOAD_PEOPLE"]).read())  # noqa: SIM115
PASSWORD: str = PEOPLE["password"]
CUSTOMERS: list[dict[str, str]] = PEOPLE["customers"]
STAFF: list[dict[str, str]] = PEOPLE["staff"]
# A smoke run (the tests): each person does every task once, in order, then the run ends.
SMOKE = os.environ.get("DROPLINE_LOAD_SMOKE") == "1"
HEADERS = {"Accept-Language": "en", "Accept": "text/html"}
FORM = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
TIMEOUT = 60.0  # seconds for one response; longer is a failure
TEST_CARD = "4242424242424242"
REAUTH = "/accounts/reauthenticate/"  # the simulator approves it
INVOICE_LINK = re.compile(r'href="/billing/invoices/([^/"]+)/"')
CUSTOMER_LINK = re.compile(r'href="/backoffice/customers/([^/"]+)/"')
TICKET_LINK = re.compile(r'href="/backoffice/tickets/(\d+)/"')
LAST_NAMES = ["Smith", "Garcia", "Nguyen", "Johnson", "Lee", "Rivera", "Miller", "Patel"]

TOTP_PERIOD = 30  # seconds; RFC 6238 with SHA-1 and 6 digits, as allauth's

_turns = count()
_turn_lock = threading.Lock()
_browsers = count()


def next_address() -> str:
    """A public address of this simulated browser's own, from the documentation ranges:
    the server runs as behind a load balancer that appends it to X-Forwarded-For, so
    each person's sign-ins count against their own address, as on the internet."""
    with _turn_lock:
        n = next(_browsers)
    block = ("192.0.2", "198.51.100", "203.0.113")[n // 250 % 3]
    return f"{block}.{n % 250 + 1}"


def next_customer() -> dict[str, str]:
    """The next login in turn (many simulated people share this process)."""
    with _turn_lock:
        return CUSTOMERS[next(_turns) % len(CUSTOMERS)]


def totp_code(secret: str, at: float | None = None) -> str:
    """An authenticator app's current code for the base32 ``secret`` (RFC 6238)."""
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


class Checked:
    """One request, checked: the status wanted and, for a page, a text it must show."""

    def __init__(self, user: FastHttpUser) -> None:
        self.user = user
        forwarded = {"X-Forwarded-For": next_address()}
        self.headers = {**HEADERS, **forwarded}
        self.form = {**FORM, **forwarded}

    def __call__(
        self,
        method: str,
        path: str,
        *,
        name: str,
        status: int | tuple[int, ...] = 200,
        expect: str | bytes | tuple[str, ...] | None = None,
        location: str | None = None,
        data: list[tuple[str, str]] | None = None,
    ) -> Any:
        kwargs: dict[str, Any] = {
            "name": name,
            "headers": self.form if data is not None else self.headers,
            "allow_redirects": False,
            "catch_response": True,
        }
        if data is not None:
            kwargs["data"] = urlencode(data)
        response: ResponseContextManager
        with self.user.client.request(method, path, **kwargs) as response:
            problem = self._problem(response, status, expect, location)
            if problem:
                response.failure(problem)
                raise StopVisit(problem)
            response.success()
            return response

    def fail(self, message: str) -> NoReturn:
        """A check outside any one response (a form or link missing): recorded as a
        failure like the others, and the visit ends."""
        self.user.environment.events.request.fire(
            request_type="CHECK",
            name=message.split(":")[0],
            response_time=0,
            response_length=0,
            exception=AssertionError(message),
            context={},
        )
        raise StopVisit(message)

    @staticmethod
    def _problem(
        response: Any,
        status: int | tuple[int, ...],
        expect: str | bytes | tuple[str, ...] | None,
        location: str | None,
    ) -> str | None:
        if response.status_code not in (status if isinstance(status, tuple) else (status,)):
            where = response.headers.get("Location", "") if response.headers else ""
            return f"HTTP {response.status_code} (wanted {status}) {where}".strip()
        if location is not None:
            got = urlsplit(response.headers.get("Location", "")).path
            if not re.fullmatch(location, got):
                return f"redirected to {got!r}, wanted {location!r}"
        body = response.content or b""
        for text in expect if isinstance(expect, tuple) else (expect,) if expect else ():
            wanted = text if isinstance(text, bytes) else text.encode()
            if wanted not in body:
                return f"{wanted[:60]!r} not on the page"
        return None


class StopVisit(Exception):  # noqa: N818 - the visit ends, no error of its own
    """A check failed (already recorded): this visit ends, the next one starts afresh."""


class CustomerUser(FastHttpUser):
    """A customer's visits to the portal."""

    wait_time = between(3, 12)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT

    def on_start(self) -> None:
        self.check = Checked(self)
        self.signed_in = False
        self.card_saved = False
        self.invoices: list[str] = []
        self.who: dict[str, str] = {}
        self.page = ""

    # A visit -------------------------------------------------------------------------

    def _visit(self) -> None:
        """Sign the next customer in, when no one is signed in on this browser."""
        if self.signed_in:
            return
        self.client.cookiejar.clear()
        self.who = next_customer()
        self.card_saved = False
        self.invoices = []
        page = self.check(
            "GET", "/accounts/login/", name="sign-in page", expect="csrfmiddlewaretoken"
        )
        token = csrf_token(page.text)
        data = [("csrfmiddlewaretoken", token or ""), ("login", self.who["login"])]
        data.append(("password", PASSWORD))
        self.check("POST", "/accounts/login/", name="sign-in", status=302, location="/", data=data)
        self.signed_in = True
        self.overview()

    def _run(self, action: Any) -> None:
        try:
            self._visit()
            action()
        except StopVisit:
            self.signed_in = False  # begin again with a fresh browser

    @task(30)
    def see_overview(self) -> None:
        self._run(self.overview)

    def overview(self) -> None:
        page = self.check("GET", "/", name="overview", expect=self.who["account"])
        self.page = page.text

    @task(15)
    def see_a_bill(self) -> None:
        self._run(self.bills)

    def bills(self) -> None:
        page = self.check("GET", "/billing/invoices/", name="bills", expect="<h1>Invoices</h1>")
        self.invoices = INVOICE_LINK.findall(page.text)
        if not self.invoices:
            return
        number = random.choice(self.invoices[:3])
        self.check(
            "GET", f"/billing/invoices/{number}/", name="one bill", expect=f"Invoice {number}"
        )

    @task(5)
    def bill_pdf(self) -> None:
        self._run(self.pdf)

    def pdf(self) -> None:
        if not self.invoices:
            self.bills()
        if self.invoices:
            number = self.invoices[0]
            self.check("GET", f"/billing/invoices/{number}/pdf/", name="bill PDF", expect=b"%PDF-")

    @task(10)
    def usage(self) -> None:
        self._run(lambda: self.check("GET", "/usage/", name="usage", expect="<h1>Data usage</h1>"))

    @task(5)
    def pay(self) -> None:
        self._run(self.pay_the_bill)

    def pay_the_bill(self) -> None:
        page = self.check("GET", "/billing/pay/", name="pay page", expect="Pay your bill")
        form = form_for(page.text, "")
        if form is None or not form.choices("method"):
            self.save_card()
            page = self.check("GET", "/billing/pay/", name="pay page", expect="Pay your bill")
            form = form_for(page.text, "")
        if form is None or "due" not in form.choices("amount_choice"):
            return  # nothing due: the customer leaves the page
        data = [(k, v) for k, v in form.values() if k != "amount_choice"]
        data.append(("amount_choice", "due"))
        receipt = self.check(
            "POST",
            "/billing/pay/",
            name="pay",
            status=302,
            location=r"/billing/payments/[^/]+/",
            data=data,
        )
        where = urlsplit(receipt.headers["Location"]).path
        number = where.rstrip("/").rsplit("/", 1)[-1]
        self.check("GET", where, name="payment receipt", expect=(number, "your payment is made"))
        self.check("GET", "/", name="overview", expect=self.who["account"])

    def save_card(self) -> None:
        """Save the simulator's approving test card, confirming the password first as
        the product asks before any change to payment methods."""
        add = "/billing/methods/add/"
        page = self.check("GET", add, name="add card page", status=(200, 302))
        if page.status_code == 302:
            where = page.headers.get("Location", "")
            if urlsplit(where).path != REAUTH:
                self.check.fail(f"add card page: redirected to {where}")
            page = self.check("GET", where, name="confirm password page", expect=REAUTH)
            form = form_for(page.text, REAUTH)
            if form is None:
                self.check.fail("confirm password page: no form")
            data = [*form.values(), ("password", PASSWORD)]
            self.check("POST", REAUTH, name="confirm password", status=302, location=add, data=data)
            page = self.check("GET", add, name="add card page", expect=TEST_CARD)
        elif TEST_CARD.encode() not in (page.content or b""):
            self.check.fail("add card page: no simulator test card")
        form = form_for(page.text, "/billing/methods/simulator/")
        if form is None:
            self.check.fail("add card page: no simulator form")
        fields = {
            "kind": "card",
            "holder_name": "Load Test",
            "number": TEST_CARD,
            "exp_month": "12",
            "exp_year": str(time.gmtime().tm_year + 3),
            "cvc": "123",
            "make_default": "on",
        }
        data = [(k, v) for k, v in form.values() if k not in fields] + list(fields.items())
        self.check(
            "POST",
            "/billing/methods/simulator/",
            name="save card",
            status=302,
            location="/billing/methods/",
            data=data,
        )
        self.check("GET", "/billing/methods/", name="saved cards", expect="4242")

    @task(5)
    def preferences(self) -> None:
        self._run(self.notification_settings)

    def notification_settings(self, *, save: bool | None = None) -> None:
        path = "/notifications/settings/"
        page = self.check("GET", path, name="notification settings", expect="Notification settings")
        if not (random.random() < 0.25 if save is None else save):
            return
        form = form_for(page.text, path)
        if form is None:
            self.check.fail("notification settings: no form")
        boxes = [f for f in form.fields if f.kind == "checkbox" and not f.disabled]
        if boxes:
            box = random.choice(boxes)
            box.checked = not box.checked
        self.check(
            "POST",
            path,
            name="save notification settings",
            status=302,
            location=path,
            data=form.values(),
        )
        self.check("GET", path, name="notification settings", expect="settings are saved")

    def smoke_tour(self) -> None:
        """Every task once, in order (a smoke run); saving a card whatever is saved."""
        self._run(self.save_card)
        for step in (self.see_overview, self.see_a_bill, self.bill_pdf, self.usage):
            step()
        self.pay()
        self._run(self.notification_settings_saved)
        self.sign_out()
        self.environment.runner.quit()

    def notification_settings_saved(self) -> None:
        self.notification_settings(save=True)

    @task(8)
    def sign_out(self) -> None:
        if not self.signed_in:
            return
        try:
            token = csrf_token(self.page) if self.page else None
            if token is None:
                self.overview()
                token = csrf_token(self.page)
            self.check(
                "POST",
                "/accounts/logout/",
                name="sign-out",
                status=302,
                data=[("csrfmiddlewaretoken", token or "")],
            )
        except StopVisit:
            pass
        self.signed_in = False
        self.page = ""


class StaffUser(FastHttpUser):
    """A member of staff at work in the back-office for the whole run."""

    fixed_count = int(os.environ.get("DROPLINE_LOAD_STAFF", "0"))
    wait_time = between(5, 20)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT
    _staff: Iterator[int] = count()

    def on_start(self) -> None:
        self.check = Checked(self)
        self.me = STAFF[next(StaffUser._staff) % len(STAFF)]
        self.billing = self.me["role"] == "Billing"
        self.signed_in = False
        self.last_period = -1

    def _sign_in(self) -> None:
        self.client.cookiejar.clear()
        page = self.check(
            "GET", "/backoffice/login/", name="staff sign-in page", expect="csrfmiddlewaretoken"
        )
        data = [("csrfmiddlewaretoken", csrf_token(page.text) or "")]
        data += [("login", self.me["login"]), ("password", self.me["password"])]
        self.check(
            "POST",
            "/backoffice/login/",
            name="staff sign-in",
            status=302,
            location="/accounts/2fa/authenticate/",
            data=data,
        )
        page = self.check(
            "GET",
            "/accounts/2fa/authenticate/",
            name="staff second factor page",
            expect='name="code"',
        )
        # A code is taken once: a new sign-in waits for a code not used yet, and near
        # the end of its period for the next one, as a person would.
        while True:
            now = time.time()
            period = int(now // TOTP_PERIOD)
            if period != self.last_period and TOTP_PERIOD - now % TOTP_PERIOD >= 3:
                break
            time.sleep(TOTP_PERIOD - now % TOTP_PERIOD + 0.5)
        self.last_period = period
        data = [("csrfmiddlewaretoken", csrf_token(page.text) or "")]
        data.append(("code", totp_code(self.me["secret"], now)))
        self.check(
            "POST",
            "/accounts/2fa/authenticate/",
            name="staff second factor",
            status=302,
            location="/accounts/2fa/trust/",
            data=data,
        )
        # Asked whether to trust this browser for a while: a shared desk, so not.
        page = self.check(
            "GET", "/accounts/2fa/trust/", name="staff trust page", expect='value="skip"'
        )
        data = [("csrfmiddlewaretoken", csrf_token(page.text) or ""), ("action", "skip")]
        self.check(
            "POST",
            "/accounts/2fa/trust/",
            name="staff trust",
            status=302,
            location="/backoffice/",
            data=data,
        )
        self.check("GET", "/backoffice/", name="back-office home", expect="Find a customer")
        self.signed_in = True

    def _run(self, action: Any) -> None:
        try:
            if not self.signed_in:
                self._sign_in()
            action()
        except StopVisit:
            self.signed_in = False

    @task(10)
    def find_a_customer(self) -> None:
        self._run(self.search_and_open)

    def search_and_open(self) -> None:
        # A smoke run searches by account number, which always finds the account to open.
        if SMOKE or random.random() < 0.6:
            wanted = random.choice(CUSTOMERS)["account"]
            query = wanted
        else:
            wanted = ""
            query = random.choice(LAST_NAMES)
        page = self.check(
            "GET",
            f"/backoffice/?q={quote(query)}",
            name="back-office search",
            expect=wanted or "Find a customer",
        )
        found = CUSTOMER_LINK.findall(page.text)
        if wanted and not found:
            self.check.fail(f"back-office search: {wanted} not found")
        if found:
            number = found[0]
            self.check(
                "GET",
                f"/backoffice/customers/{number}/",
                name="back-office account",
                expect=number[-4:],
            )

    @task(4)
    def queues(self) -> None:
        def look() -> None:
            if self.billing:
                self.check(
                    "GET",
                    "/backoffice/billing/runs/",
                    name="bill runs",
                    expect="<h1>Bill runs</h1>",
                )
                self.check(
                    "GET",
                    "/backoffice/billing/invoices/",
                    name="back-office invoices",
                    expect="<h1>Invoices</h1>",
                )
            else:
                page = self.check(
                    "GET", "/backoffice/tickets/", name="tickets", expect="<h1>Tickets</h1>"
                )
                ids = TICKET_LINK.findall(page.text)
                if ids:
                    ticket = random.choice(ids)
                    self.check(
                        "GET",
                        f"/backoffice/tickets/{ticket}/",
                        name="one ticket",
                        expect="<h1>Ticket ",
                    )

        self._run(look)

    @task(2)
    def disputes(self) -> None:
        self._run(
            lambda: self.check(
                "GET", "/backoffice/disputes/", name="disputes", expect="<h1>Disputes</h1>"
            )
        )

    def smoke_tour(self) -> None:
        """Every task once, in order (a smoke run)."""
        self.find_a_customer()
        self.queues()
        self.billing = not self.billing
        self.queues()
        self.disputes()
        self.environment.runner.quit()


if SMOKE:
    for _person in (CustomerUser, StaffUser):
        _person.tasks = [_person.smoke_tour]
        _person.wait_time = constant(0)
if not STAFF:
    StaffUser.abstract = True  # no staff this run (a fixed count of 0 would mean "any")

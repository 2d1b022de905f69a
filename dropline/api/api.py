"""The JSON API under /api/v1/: the same operations the web pages use.

This module only builds the API: its description, authentication and error handlers,
and one router per feature (``dropline/api/<feature>/routes.py``, with the feature's
schemas beside it in ``schemas.py``). Schemas several features answer with are in
``api/schemas.py``. ``api/factors/`` is no router: it holds allauth's own endpoints for
removing an authenticator app or passkeys, which ``dropline/urls.py`` routes first.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from dropline.api import errors, openapi
from dropline.api.appointments import routes as appointments
from dropline.api.authentication import browser_session_auth, session_token_auth
from dropline.api.autopay import routes as autopay
from dropline.api.billing import routes as billing
from dropline.api.channels import routes as channels
from dropline.api.claiming import routes as claiming
from dropline.api.connection_check import routes as connection_check
from dropline.api.contacts import routes as contacts
from dropline.api.disputes import routes as disputes
from dropline.api.equipment import routes as equipment
from dropline.api.help import routes as help_articles
from dropline.api.notifications import routes as notifications
from dropline.api.orders import routes as orders
from dropline.api.outages import routes as outages
from dropline.api.overview import routes as overview
from dropline.api.payment_extension import routes as payment_extension
from dropline.api.payment_methods import routes as payment_methods
from dropline.api.payments import routes as payments
from dropline.api.people import routes as people
from dropline.api.plans import routes as plans
from dropline.api.push import routes as push
from dropline.api.radius import routes as radius
from dropline.api.recovery import routes as recovery
from dropline.api.security import routes as security
from dropline.api.services import routes as services
from dropline.api.sign_in import routes as sign_in
from dropline.api.speed_tests import routes as speed_tests
from dropline.api.status import routes as status
from dropline.api.tickets import routes as tickets
from dropline.api.troubleshooter import routes as troubleshooter
from dropline.api.usage import routes as usage
from dropline.api.webhooks import routes as webhooks

ROUTES_MODULE = ".routes"


class DroplineAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``dropline_api_<feature>_<function>``: the feature's package without its
        ``routes`` module, so that operation ids stay what they were before the routes
        moved into feature packages (and what clients generated from them call)."""
        module = operation.view_func.__module__.removesuffix(ROUTES_MODULE)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """ninja's document with the answers every operation shares (``api/openapi.py``)."""
        return openapi.complete(super().get_openapi_schema(*args, **kwargs))


# The reference page (``/api/v1/docs``): ninja's Swagger UI from this server's static
# files; no call to Swagger's online validator either.
REFERENCE = Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0})

api = DroplineAPI(
    title="Dropline API",
    version="1.0.0",
    description=(
        "Customer self-service API. Authenticate with an allauth headless session token "
        "(`X-Session-Token`, from `/_allauth/app/v1/auth/login`) or a browser session. "
        "A token stops working after 60 minutes without use and 24 hours after sign-in.\n\n"
        "Building a native app on it: the guide `docs/API.md` in Dropline's source (sign-in, "
        "second factors, pagination, idempotency keys, errors). allauth's own sign-in "
        "endpoints: [their reference](/_allauth/openapi.html).\n\n"
        "When the login waits for a code by text message (pending flow "
        "`dropline_sms_authenticate`), finish it with the `sign-in` operations below, "
        "sending the pending login's token.\n\n"
        "Removing the last second factor through allauth's "
        "`DELETE /_allauth/app/v1/account/authenticators/totp` or `.../webauthn` needs "
        '`"confirm_last": true` in the JSON body (else 400, `param` `confirm_last`); '
        "staff can never remove their last authenticator app or passkey (409)."
    ),
    urls_namespace="api-v1",
    docs=REFERENCE,
    auth=[session_token_auth, browser_session_auth],
)
errors.install(api)
# The OpenAPI document keeps one schema per name: no two models may share one
# (tests/api/test_openapi.py checks).
api.add_router("", overview.router)
api.add_router("", notifications.router)
api.add_router("", sign_in.router)
api.add_router("", claiming.router)
api.add_router("", people.router)
api.add_router("", contacts.router)
api.add_router("", push.router)
api.add_router("", security.router)
api.add_router("", billing.router)
api.add_router("", services.router)
api.add_router("", channels.router)
api.add_router("", plans.router)
api.add_router("", orders.router)
api.add_router("", disputes.router)
api.add_router("", autopay.router)
api.add_router("", payment_extension.router)
api.add_router("", payment_methods.router)
api.add_router("", payments.router)
api.add_router("", usage.router)
api.add_router("", connection_check.router)
api.add_router("", equipment.router)
api.add_router("", outages.router)
api.add_router("", speed_tests.router)
api.add_router("", tickets.router)
api.add_router("", appointments.router)
api.add_router("", help_articles.router)
api.add_router("", troubleshooter.router)
api.add_router("", status.router)
api.add_router("", webhooks.router)
api.add_router("", radius.router)
api.add_router("/recovery", recovery.router)

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Signing in and its security: allauth's adapters and login stages, security events
    and their alerts, second factors, recovery and claiming a login. Above customers and
    notifications (it tells people things); no models of its own."""

    name = "dropline.identity"
    label = "identity"
    verbose_name = "Identity"

    def ready(self) -> None:
        # allauth's and Django's authentication signals -> security events.
        from dropline.identity import receivers

        receivers.connect()

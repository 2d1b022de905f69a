"""What customers type into the help center's search box, and the shipped article each
search must find among its first three results.

Each entry is (language, query, slug): the query as a customer types it (lowercase,
short, sometimes a whole question, in Spanish sometimes without accents), and the slug
of the article in dropline/helpdesk/help/articles/ that answers it. The search
relevance test runs every query against the shipped articles in that language."""

from __future__ import annotations

QUERIES: list[tuple[str, str, str]] = [
    # English
    ("en", "how do i pay my bill", "pay-your-bill"),
    ("en", "forgot my password", "sign-in-and-recovery"),
    ("en", "forgot username", "sign-in-and-recovery"),
    ("en", "authenticator app", "two-step-verification"),
    ("en", "recovery codes", "two-step-verification"),
    ("en", "security alert new device", "security-alerts"),
    ("en", "automatic payments", "autopay"),
    ("en", "why did my bill change", "read-your-bill"),
    ("en", "partial month charge", "prorated-charges"),
    ("en", "download bill pdf", "bill-history-and-pdf"),
    ("en", "dispute a charge", "dispute-a-charge"),
    ("en", "more time to pay", "payment-extension"),
    ("en", "data usage alerts", "data-usage-and-alerts"),
    ("en", "data cap overage", "over-your-data-allowance"),
    ("en", "internet not working", "internet-down"),
    ("en", "slow internet buffering", "slow-internet"),
    ("en", "lag in games", "slow-internet"),
    ("en", "weak router signal", "wifi-tips"),
    ("en", "change wi-fi password", "change-wifi-name-and-password"),
    ("en", "speed test", "speed-test"),
    ("en", "restart modem", "restart-your-equipment"),
    ("en", "loose cable", "check-your-cables"),
    ("en", "black screen on tv", "tv-no-picture"),
    ("en", "find a channel", "find-channels"),
    ("en", "moving to a new address", "moving"),
    ("en", "turn off notifications", "notification-preferences"),
    ("en", "outage in my area", "outages-and-maintenance"),
    ("en", "reschedule technician appointment", "technician-visits"),
    ("en", "open a support ticket", "support-requests"),
    # Spanish
    ("es", "cómo pago mi factura", "pay-your-bill"),
    ("es", "contraseña olvidada", "sign-in-and-recovery"),
    ("es", "verificación en dos pasos", "two-step-verification"),
    ("es", "alerta de seguridad", "security-alerts"),
    ("es", "pago automático", "autopay"),
    ("es", "por qué cambió mi factura", "read-your-bill"),
    ("es", "cargo prorrateado", "prorated-charges"),
    ("es", "facturacion pdf", "bill-history-and-pdf"),
    ("es", "disputar un cargo", "dispute-a-charge"),
    ("es", "más tiempo para pagar", "payment-extension"),
    ("es", "alertas de consumo", "data-usage-and-alerts"),
    ("es", "límite de datos", "over-your-data-allowance"),
    ("es", "internet no funciona", "internet-down"),
    ("es", "internet lento", "slow-internet"),
    ("es", "señal del router", "wifi-tips"),
    ("es", "cambiar contraseña del wi-fi", "change-wifi-name-and-password"),
    ("es", "prueba de velocidad", "speed-test"),
    ("es", "reiniciar modem", "restart-your-equipment"),
    ("es", "cable flojo", "check-your-cables"),
    ("es", "la tv no tiene imagen", "tv-no-picture"),
    ("es", "buscar un canal", "find-channels"),
    ("es", "mudanza", "moving"),
    ("es", "horario de silencio", "notification-preferences"),
    ("es", "corte de servicio en mi zona", "outages-and-maintenance"),
    ("es", "visita del técnico", "technician-visits"),
    ("es", "solicitud de soporte", "support-requests"),
]

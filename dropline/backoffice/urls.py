"""The back-office's URLs: each feature's patterns, under one namespace."""

from dropline.backoffice.announcements.urls import urlpatterns as announcements
from dropline.backoffice.billing.urls import urlpatterns as billing
from dropline.backoffice.catalog.urls import urlpatterns as catalog
from dropline.backoffice.collections.urls import urlpatterns as collections
from dropline.backoffice.customers.urls import urlpatterns as customers
from dropline.backoffice.dispatch.urls import urlpatterns as dispatch
from dropline.backoffice.disputes.urls import urlpatterns as disputes
from dropline.backoffice.equipment.urls import urlpatterns as equipment
from dropline.backoffice.gateway_events.urls import urlpatterns as gateway_events
from dropline.backoffice.help.urls import urlpatterns as help_articles
from dropline.backoffice.home.urls import urlpatterns as home
from dropline.backoffice.invitations.urls import urlpatterns as invitations
from dropline.backoffice.my_visits.urls import urlpatterns as my_visits
from dropline.backoffice.notifications.urls import urlpatterns as notifications
from dropline.backoffice.outages.urls import urlpatterns as outages
from dropline.backoffice.payments.urls import urlpatterns as payments
from dropline.backoffice.prices.urls import urlpatterns as prices
from dropline.backoffice.security_events.urls import urlpatterns as security_events
from dropline.backoffice.sign_in.urls import urlpatterns as sign_in
from dropline.backoffice.tickets.urls import urlpatterns as tickets
from dropline.backoffice.usage.urls import urlpatterns as usage
from dropline.backoffice.usage_ops.urls import urlpatterns as usage_ops

app_name = "backoffice"

urlpatterns = [
    *home,
    *customers,
    *sign_in,
    *invitations,
    *notifications,
    *announcements,
    *security_events,
    *billing,
    *payments,
    *prices,
    *catalog,
    *collections,
    *disputes,
    *gateway_events,
    *usage,
    *usage_ops,
    *outages,
    *equipment,
    *dispatch,
    *my_visits,
    *tickets,
    *help_articles,
]

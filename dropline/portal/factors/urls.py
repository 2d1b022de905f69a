"""Second factors beyond allauth's pages; included at ``accounts/2fa/more/``."""

from django.urls import path

from dropline.portal.factors import views
from dropline.portal.security.views import forget_browsers

app_name = "second_factor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("default/", views.set_default, name="set_default"),
    path("text-message/", views.add_text_message, name="add_text_message"),
    path("remove/<str:method>/<int:factor_id>/", views.remove, name="remove"),
    path(
        "trusted-browsers/forget/",
        forget_browsers,
        {"fallback": "second_factor:manage", "fragment": ""},
        name="forget_browsers",
    ),
    path("sign-in/text-message/", views.sms_authenticate, name="sms_authenticate"),
    path("sign-in/text-message/resend/", views.sms_resend, name="sms_resend"),
    path("sign-in/method/", views.choose_method, name="choose_method"),
]

from django.urls import path

from kaari.access import oauth
from kaari.access.signin import views

urlpatterns = [
    path("account", views.account, name="account"),
    path("signin", views.signin, name="signin"),
    path("signin/totp", views.totp, name="signin-totp"),
    path("signin/totp/setup", views.totp_setup, name="totp-setup"),
    path("signout", views.signout, name="signout"),
    path("oauth/token", oauth.token_endpoint, name="oauth-token"),
    path(".well-known/smart-configuration", oauth.smart_configuration_view, name="smart-configuration"),
]

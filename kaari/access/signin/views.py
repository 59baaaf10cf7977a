"""Browser sign-in: password, then TOTP when enabled (or enrolment when settings require it), and sign-out."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from kaari.access.models import User
from kaari.access.signin import services

PENDING = "kaari_pending_user"
VERIFIED = "kaari_verified"
ENROL_SECRET = "kaari_totp_enrol"


class PasswordForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from your authenticator app"), max_length=8)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed else "/"


def _complete(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user)  # rotates the session key
    request.session[VERIFIED] = True
    return HttpResponseRedirect(_next(request))


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = services.password_check(username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if result.user is None:
            error = str(_("Wrong username or password, or the account is locked for a while."))
        elif result.needs_totp:
            request.session.cycle_key()
            request.session[PENDING] = result.user.pk
            return HttpResponseRedirect(f"/signin/totp?next={_next(request)}")
        elif result.must_enrol_totp:
            login(request, result.user)
            request.session[VERIFIED] = False
            return HttpResponseRedirect("/signin/totp/setup")
        else:
            return _complete(request, result.user)
    return render(
        request,
        "access/signin.html",
        {"form": form, "error": error, "next": _next(request)},
        status=401 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def totp(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    user = User.objects.filter(pk=int(pending)).first() if pending is not None else None
    if user is None:
        return HttpResponseRedirect("/signin")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if services.totp_check(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            return _complete(request, user)
        error = str(_("The code is not valid. Try the newest code."))
    return render(
        request,
        "access/totp.html",
        {"form": form, "error": error, "next": _next(request)},
        status=401 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    secret = request.session.get(ENROL_SECRET) or services.totp_secret_new()
    request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if services.totp_enable(user=user, secret=secret, code=form.cleaned_data["code"]):
            request.session.pop(ENROL_SECRET, None)
            request.session[VERIFIED] = True
            return HttpResponseRedirect("/")
        error = str(_("The code is not valid. Try the newest code."))
    context = {"form": form, "error": error, "secret": secret, "uri": services.totp_uri(user=user, secret=secret)}
    return render(request, "access/totp_setup.html", context)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/signin")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who is signed in, in which role and unit; the clinician workspace replaces this page later."""
    if not request.session.get(VERIFIED):
        return HttpResponseRedirect("/signin/totp/setup")
    return render(request, "access/account.html", {"account": request.user})

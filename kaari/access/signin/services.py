"""Sign-in rules: password check with lockout after repeated failures, and the TOTP second factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from django.db import transaction

from kaari.access import conf
from kaari.access.models import User
from kaari.access.roles import Kind

ISSUER = "Kaari"


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    needs_totp: bool = False
    must_enrol_totp: bool = False
    error: str = ""


def _locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


@transaction.atomic
def failure_count(user: User) -> None:
    """Count a failed attempt; enough of them in a row lock the account for a while."""
    fresh = User.objects.select_for_update().get(pk=user.pk)
    fresh.failed_sign_ins += 1
    if fresh.failed_sign_ins >= conf.lockout_failures():
        fresh.locked_until = datetime.now(UTC) + timedelta(minutes=conf.lockout_minutes())
        fresh.failed_sign_ins = 0
    fresh.save(update_fields=["failed_sign_ins", "locked_until"])


def password_check(*, username: str, password: str) -> SignInResult:
    """The first step of signing in. The error never tells whether the user exists."""
    generic = "Wrong username or password, or the account is locked for a while."
    user = User.objects.filter(username=username, is_active=True).first()
    now = datetime.now(UTC)
    if user is None:
        User().check_password(password)  # spend the same time as for a real user
        return SignInResult(user=None, error=generic)
    if _locked(user, now) or user.kind == Kind.SYSTEM:
        return SignInResult(user=None, error=generic)
    if not user.check_password(password):
        failure_count(user)
        return SignInResult(user=None, error=generic)
    if user.failed_sign_ins:
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0)
    if user.totp_enabled:
        return SignInResult(user=user, needs_totp=True)
    must_enrol = conf.totp_required() and user.kind == Kind.PROFESSIONAL
    return SignInResult(user=user, must_enrol_totp=must_enrol)


def totp_check(*, user: User, code: str) -> bool:
    """The second step: a current TOTP code (one step of clock drift allowed). Failures count to the lockout."""
    if _locked(user, datetime.now(UTC)):
        return False
    if user.totp_secret and pyotp.TOTP(user.totp_secret).verify(code.strip(), valid_window=1):
        if user.failed_sign_ins:
            User.objects.filter(pk=user.pk).update(failed_sign_ins=0)
        return True
    failure_count(user)
    return False


def totp_secret_new() -> str:
    return pyotp.random_base32()


def totp_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def totp_enable(*, user: User, secret: str, code: str) -> bool:
    """Turn the second factor on once the user proves their authenticator produces the codes."""
    if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        return False
    user.totp_secret = secret
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return True

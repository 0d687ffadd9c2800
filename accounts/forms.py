from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.text import halfwidth_input
from madoguchi import throttle


class LoginForm(AuthenticationForm):
    """The staff login, with failed attempts counted per user name and per client address.

    A locked name or address is refused before the password is even checked, so guessing on
    goes nowhere; the message says for how long. A correct login clears the name's count.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("ユーザー名またはパスワードが正しくありません。"),
        "inactive": _("このアカウントは使用できません。システム管理者に連絡してください。"),
        "user_locked": _(
            "このユーザー名はログインに続けて失敗したため、一時的にロックされています。"
            "約%(minutes)s分後にもう一度お試しください。"
            "パスワードがわからない場合はシステム管理者に連絡してください。"
        ),
        "address_locked": _(
            "この端末からのログインに続けて失敗したため、一時的にロックされています。"
            "約%(minutes)s分後にもう一度お試しください。"
        ),
    }

    def clean(self):
        username = throttle.login_name(self.cleaned_data.get("username"))
        address = throttle.client_ip(self.request)
        user_lock, address_lock = throttle.login_user_lock(), throttle.login_address_lock()
        for lock, value, code in (
            (address_lock, address, "address_locked"),
            (user_lock, username, "user_locked"),
        ):
            verdict = lock.check(value)
            if not verdict.allowed:
                # Refused without a password check, but still a failed login for the log.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=self.request
                )
                raise ValidationError(
                    self.error_messages[code], code=code, params={"minutes": verdict.minutes}
                )
        try:
            cleaned = super().clean()
        except ValidationError as e:
            if e.code != "invalid_login":
                raise
            verdicts = {
                "address_locked": address_lock.fail(address),
                "user_locked": user_lock.fail(username),
            }
            for code, verdict in verdicts.items():
                if not verdict.allowed:
                    raise ValidationError(
                        self.error_messages[code], code=code, params={"minutes": verdict.minutes}
                    ) from e
            raise
        user_lock.clear(username)
        return cleaned


class TokenForm(forms.Form):
    """The six digits an authenticator app shows."""

    token = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        # A code, not a name: full-width digits typed with the IME become ASCII.
        token = "".join(halfwidth_input(self.cleaned_data["token"]).split())
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise ValidationError(_("確認コードは6桁の数字で入力してください。"))
        return token

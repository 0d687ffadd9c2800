import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from residents import mynumber


def test_a_number_comes_back_from_its_token():
    assert mynumber.decrypt(mynumber.encrypt("537686677188")) == "537686677188"


def test_an_invalid_number_is_refused_before_it_is_stored():
    with pytest.raises(ValueError, match="個人番号が正しくありません"):
        mynumber.encrypt("123456789012")


def test_without_a_key_the_demo_key_comes_from_secret_key():
    token = mynumber.encrypt("123456789018")
    with override_settings(SECRET_KEY="another-secret"), pytest.raises(mynumber.InvalidToken):
        mynumber.decrypt(token)


def test_a_configured_key_is_used_and_an_old_key_still_decrypts_after_rotation():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(MYNUMBER_KEY=old):
        token = mynumber.encrypt("987654321093")
    assert Fernet(old).decrypt(token.encode()) == b"987654321093"
    with override_settings(MYNUMBER_KEY=f"{new},{old}"):
        assert mynumber.decrypt(token) == "987654321093"
        assert Fernet(new).decrypt(mynumber.encrypt("987654321093").encode()) == b"987654321093"


def test_a_screen_gets_only_the_last_four_digits():
    assert mynumber.masked(mynumber.encrypt("123456789018")) == "＊＊＊＊ ＊＊＊＊ 9018"
    assert mynumber.masked("") == ""

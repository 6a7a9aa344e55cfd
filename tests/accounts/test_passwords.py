"""Password rules: 12 characters for officials, 10 for owners; the Indonesian common list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db

User = get_user_model()


def _codes(password: str, user) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "staff_ok", "owner_ok"),
    [
        ("Tenun#Sidan7", True, True),  # 12
        ("Tenun#Sidn7", False, True),  # 11
        ("Tenun#Sd7x", False, True),  # 10
        ("Tenun#S7x", False, False),  # 9
    ],
)
def test_minimum_length_knows_the_account(password, staff_ok, owner_ok):
    official = User(username="pejabat.x", is_staff=True)
    owner = User(username="pemilik.x@example.id", email="pemilik.x@example.id")
    assert ("password_too_short" not in _codes(password, official)) is staff_ok
    assert ("password_too_short" not in _codes(password, owner)) is owner_ok


def test_a_superuser_needs_12_too():
    assert "password_too_short" in _codes("Tenun#Sidn7", User(username="su", is_superuser=True))


@pytest.mark.parametrize(
    "password",
    [
        "indonesia123",
        "Bismillah2026",
        "sayangku1234",
        "Pontianak2026!",
        "kalbar2026",
        "Merdeka45!",
        "MERDEKA1945",
        "alhamdulillah",
        "#khatulistiwa#",
    ],
)
def test_indonesian_common_passwords_are_refused(password):
    owner = User(username="pemilik.y@example.id")
    assert "password_too_common" in _codes(password, owner)


def test_a_long_unusual_password_passes_for_an_official():
    assert _codes("Lempok-Durian-Sanggau-2026", User(username="pejabat.z", is_staff=True)) == set()


def test_an_official_changing_to_an_11_character_password_is_refused(official_sanggau):
    form = SetPasswordForm(
        official_sanggau, {"new_password1": "Tenun#Sidn7", "new_password2": "Tenun#Sidn7"}
    )
    assert not form.is_valid()
    assert "12 karakter" in " ".join(form.errors["new_password2"])
    official_sanggau.refresh_from_db()
    assert official_sanggau.check_password("rahasia-Kalbar-2026")


def test_the_portal_password_change_refuses_bismillah(client, owner):
    from django.urls import reverse

    client.force_login(owner)
    response = client.post(
        reverse("portal:password_change"),
        {
            "old_password": "rahasia-Kalbar-2026",
            "new_password1": "bismillah123",
            "new_password2": "bismillah123",
        },
    )
    assert response.status_code == 200
    assert "terlalu umum" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("rahasia-Kalbar-2026")

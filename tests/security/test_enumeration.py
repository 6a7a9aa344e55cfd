"""The same answer whether or not a thing exists (issue 13), and rate limits on what sends mail.

Sign-up, password reset, resending the confirmation, claiming a unit by NIB and a NIK another
unit holds: the visitor's answer is byte-for-byte the same (less the CSRF token and what they
typed themselves); the truth goes by mail to the address's or account's owner."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from ikm.models import IKMUnit, UnitClaim
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Lempok-Durian-2026"


def normalised(response, *typed: str) -> str:
    """The page without its CSRF token, per-response nonces and what the visitor typed."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'nonce="[^"]*"', "", text)
    for value in typed:
        text = text.replace(value, "TYPED")
    return text


def answer(client, url, data, *typed):
    response = client.post(url, data)
    followed = client.get(response["Location"]) if response.status_code == 302 else response
    return response.status_code, response.get("Location"), normalised(followed, *typed)


def signup_data(email, password=PASSWORD):
    return {
        "full_name": "Siti Aminah",
        "email": email,
        "password1": password,
        "password2": password,
        "consent": "on",
    }


# --- sign-up -----------------------------------------------------------------------------------
def test_sign_up_answers_the_same_for_a_taken_address(
    client, owner, django_capture_on_commit_callbacks
):
    url = reverse("portal:account_signup")
    with django_capture_on_commit_callbacks(execute=True):
        taken = answer(
            client, url, signup_data(owner.email.upper()), owner.email.upper(), owner.email
        )
    client.cookies.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = answer(client, url, signup_data("baru@example.id"), "baru@example.id")
    assert taken == new
    assert taken[0] == 302 and "sudah terdaftar" not in taken[2]
    # The new address got its confirmation link; the taken one was told by mail, to itself.
    assert sorted(m.to[0] for m in mail.outbox) == ["baru@example.id", owner.email]
    exists_mail = next(m for m in mail.outbox if m.to == [owner.email])
    assert "sudah memiliki akun" in exists_mail.body and "/akun/sandi/lupa/" in exists_mail.body
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    owner.refresh_from_db()
    assert not owner.check_password(PASSWORD)  # the stranger's password did nothing


def test_sign_up_form_errors_are_the_same_for_a_taken_address(client, owner):
    url = reverse("portal:account_signup")
    taken = answer(client, url, signup_data(owner.email, "1234"), owner.email)
    new = answer(client, url, signup_data("baru@example.id", "1234"), "baru@example.id")
    assert taken == new and taken[0] == 200
    assert not mail.outbox


def test_an_unconfirmed_account_signing_up_again_gets_its_link_again(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="belum@example.id", email="belum@example.id", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:account_signup"), signup_data("belum@example.id"))
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/akun/konfirmasi/" in mail.outbox[0].body


# --- password reset and resending the confirmation --------------------------------------------
def test_password_reset_answers_the_same(client, owner):
    url = reverse("portal:password_reset")
    known = answer(client, url, {"email": owner.email}, owner.email)
    unknown = answer(client, url, {"email": "tidak.ada@example.id"}, "tidak.ada@example.id")
    assert known == unknown and known[0] == 302
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_resend_confirmation_answers_the_same(client, owner):
    inactive = UserFactory(username="belum@example.id", email="belum@example.id", is_active=False)
    url = reverse("portal:account_resend_confirmation")
    answers = [
        answer(client, url, {"email": email}, email)
        for email in (inactive.email, owner.email, "tidak.ada@example.id")
    ]
    assert answers[0] == answers[1] == answers[2] and answers[0][0] == 302
    assert [m.to for m in mail.outbox] == [[inactive.email]]


def test_15_reset_requests_send_3_mails(client, owner):
    url = reverse("portal:password_reset")
    responses = [client.post(url, {"email": owner.email}) for _ in range(15)]
    assert {r.status_code for r in responses} == {302}
    assert len({r["Location"] for r in responses}) == 1  # the limit is not announced either
    assert len(mail.outbox) == 3


def test_reset_is_limited_per_client_address_too(client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset": {"per_account": (3, 3600), "per_ip": (5, 3600)},
    }
    for n in range(8):
        UserFactory(username=f"u{n}@example.id", email=f"u{n}@example.id")
    url = reverse("portal:password_reset")
    for n in range(8):
        client.post(url, {"email": f"u{n}@example.id"})
    assert len(mail.outbox) == 5
    # Another client is not held back by the first one.
    client.post(url, {"email": "u7@example.id"}, REMOTE_ADDR="203.0.113.50")
    assert len(mail.outbox) == 6


def test_the_limit_keys_on_the_real_client_behind_trusted_proxies(client, settings):
    """A forged X-Forwarded-For entry does not buy more mails (accounts.network.client_ip)."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset": {"per_account": (3, 3600), "per_ip": (4, 3600)},
    }
    url = reverse("portal:password_reset")
    for n in range(8):
        UserFactory(username=f"p{n}@example.id", email=f"p{n}@example.id")
        client.post(
            url,
            {"email": f"p{n}@example.id"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",  # forged, then the real one
        )
    assert len(mail.outbox) == 4


def test_resend_is_limited(client):
    user = UserFactory(username="belum@example.id", email="belum@example.id", is_active=False)
    for _ in range(10):
        client.post(reverse("portal:account_resend_confirmation"), {"email": user.email})
    assert len(mail.outbox) == 3


def test_sign_up_with_a_taken_address_is_limited(client, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            client.post(reverse("portal:account_signup"), signup_data(owner.email))
    assert len(mail.outbox) == 3


# --- claim by NIB --------------------------------------------------------------------------------
def test_claim_answers_the_same_for_missing_free_and_taken_units(
    client, django_capture_on_commit_callbacks
):
    UnitFactory(nib="6103000000011", owner=None, name="Unit Bebas")
    UnitFactory(nib="6103000000022", owner=UserFactory(), name="Unit Orang Lain")
    answers = []
    for n, nib in enumerate(("6103000000011", "6103000000022", "6103000000099")):
        claimant = UserFactory(username=f"klaim{n}", email=f"klaim{n}@example.id")
        client.force_login(claimant)
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(
                answer(client, reverse("portal:unit_claim"), {"nib": nib}, nib, claimant.email)
            )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 302
    for text in ("Tidak ada unit", "dikelola akun lain", "Unit Bebas", "Unit Orang Lain"):
        assert text not in answers[0][2]
    # Both existing units got a pending claim for an official; the missing one got nothing.
    assert sorted(UnitClaim.objects.values_list("unit__nib", flat=True)) == [
        "6103000000011",
        "6103000000022",
    ]
    # Each claimant learns the truth by mail, at their own address.
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Unit Bebas" in bodies["klaim0@example.id"]
    assert "Unit Orang Lain" in bodies["klaim1@example.id"]
    assert "Tidak ada unit IKM dengan NIB 6103000000099" in bodies["klaim2@example.id"]


def test_claims_are_limited_per_account(client, owner, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "unit_claim": {"per_account": (3, 3600), "per_ip": (30, 3600)},
    }
    client.force_login(owner)
    statuses = [
        client.post(reverse("portal:unit_claim"), {"nib": f"61030000001{n:02d}"}).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    response = client.post(reverse("portal:unit_claim"), {"nib": "6103000000199"})
    assert "Terlalu banyak klaim" in response.content.decode()


# --- NIK held by another unit ----------------------------------------------------------------
def _unit_form(unit, nik):
    return {
        "name": unit.name,
        "owner_name": unit.owner_name,
        "nik": nik,
        "nib": unit.nib or "",
        "kabupaten": unit.desa_id[:5],
        "kecamatan": unit.desa_id[:8],
        "desa": unit.desa_id,
        "commodity_group": unit.commodity_group,
        "workers": "3",
        "investment": "1000000",
    }


def _edit(client, unit, nik):
    page = client.get(reverse("portal:unit_edit", args=[unit.pk]))
    data = _unit_form(unit, nik)
    for field in page.context["form"].hidden_fields():
        data[field.html_name] = field.value()
    response = client.post(reverse("portal:unit_edit", args=[unit.pk]), data)
    messages = [str(m) for m in response.wsgi_request._messages]
    hint = str(
        client.get(reverse("portal:unit_edit", args=[unit.pk])).context["form"]["nik"].help_text
    )
    return response.status_code, response.get("Location"), messages, hint


def test_a_nik_held_by_another_unit_gets_the_same_answer(client):
    from ikm.services import unit_set_nik

    holder = UnitFactory(nib="6103000000031", owner=UserFactory())
    unit_set_nik(holder, "6103011203850001")
    holder.save()
    first, second = UserFactory(username="satu"), UserFactory(username="dua")
    unit_1 = UnitFactory(nib="6103000000032", owner=first, name="Sama", verified=True)
    unit_2 = UnitFactory(nib="6103000000033", owner=second, name="Sama", verified=True)

    client.force_login(first)
    taken = _edit(client, unit_1, "6103011203850001")  # another unit's NIK
    client.force_login(second)
    fresh = _edit(client, unit_2, "6103011203860001")  # a new NIK, same last four digits
    assert taken == fresh
    assert taken[0] == 302 and "0001" in taken[3]
    assert not any("sudah terdaftar" in m for m in taken[2])
    unit_1.refresh_from_db()
    unit_2.refresh_from_db()
    holder.refresh_from_db()
    # Data integrity: one unit per NIK; the taken one waits for an official, both unverified.
    assert (unit_1.nik_digest, unit_1.nik_pending_last4) == ("", "0001")
    assert unit_2.nik_last4 == "0001" and unit_2.nik_pending_last4 == ""
    assert holder.nik_last4 == "0001"
    assert not unit_1.verified and not unit_2.verified


def test_a_race_on_the_same_nik_is_no_500(owner, monkeypatch):
    """Two units taking one NIK at the same moment: the unique constraint answers, the later
    save keeps the NIK pending (simulated: the check is passed, then the constraint fires)."""
    from ikm import services

    unit = UnitFactory(owner=owner, nib="6103000000041")
    other = UnitFactory(nib="6103000000042", owner=UserFactory())
    services.unit_set_nik(other, "6103011203850001")
    other.save()
    original = services.IKMUnit.objects.filter

    class Blind:
        """``exists()`` says no for the NIK look-up: as if the other unit had not committed."""

        def __init__(self, qs):
            self.qs = qs

        def exclude(self, **kw):
            return Blind(self.qs.exclude(**kw))

        def exists(self):
            return False

    def filter_(*args, **kwargs):
        qs = original(*args, **kwargs)
        return Blind(qs) if "nik_digest" in kwargs else qs

    monkeypatch.setattr(IKMUnit.objects, "filter", filter_)
    monkeypatch.setattr(unit, "full_clean", lambda *a, **k: None)  # its constraint check too
    services.owner_set_nik(unit, "6103011203850001")
    services._save_owner_unit(unit, old_nik=("", "", ""))
    monkeypatch.undo()
    unit.refresh_from_db()
    assert (unit.nik_digest, unit.nik_pending_last4) == ("", "0001")
    assert IKMUnit.objects.filter(nik_digest=other.nik_digest).count() == 1

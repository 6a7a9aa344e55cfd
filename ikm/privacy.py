"""Owners' rights over their personal data (UU 27/2022 tentang Pelindungan Data Pribadi).

The ikm part: consent at sign-up, the requests log (access, correction, deletion) with its legal
deadlines and the officials' handling of it, the anonymisation of a person in the ikm tables
(live and simple-history rows), and the erasure log with its journal outside the database.
``certifications.privacy`` builds on this: the whole export (units, products, requests) and the
erasure of request documents (KTP scans). See docs/privacy.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import nik as nik_module
from .models import Consent, DataSubjectRequest, Erasure, IKMUnit, UnitClaim
from .selectors import scope_kabupaten_code

log = logging.getLogger(__name__)
User = get_user_model()

#: Version of the privacy notice (templates/public/privacy.html). Change it with the text: a
#: Consent row names the version the owner agreed to.
NOTICE_VERSION = "2026-12-01"

#: What anonymisation writes in place of a name.
ERASED_NAME = "Dihapus"

#: The legal deadline of each kind of request, counted from its receipt (docs/privacy.md):
#: access and copy: UU PDP Pasal 32 ayat (2), 3 x 24 jam; correction: Pasal 30 ayat (2),
#: 3 x 24 jam; deletion: Pasal 43 gives no term of its own, we apply the 3 x 24 jam that the law
#: sets for ending processing after consent is withdrawn (Pasal 40 ayat (2)).
DEADLINES = {
    DataSubjectRequest.Kind.AKSES: datetime.timedelta(hours=3 * 24),
    DataSubjectRequest.Kind.KOREKSI: datetime.timedelta(hours=3 * 24),
    DataSubjectRequest.Kind.PENGHAPUSAN: datetime.timedelta(hours=3 * 24),
}

#: Owner fields of a unit that anonymisation clears (live rows and history rows).
UNIT_PERSONAL_CLEARED = {
    "owner_name": ERASED_NAME,
    "nik_ciphertext": "",
    "nik_digest": "",
    "nik_last4": "",
    "owner_address": "",
    "owner_phone": "",
    # A NIK held for an official's check (issue 13, ``ikm.services``) is the owner's too.
    "nik_pending_ciphertext": "",
    "nik_pending_digest": "",
    "nik_pending_last4": "",
}


# --- consent ---------------------------------------------------------------------------------
def consent_record(*, user: AbstractBaseUser, version: str = NOTICE_VERSION) -> Consent:
    return Consent.objects.create(user=user, notice_version=version)


# --- requests --------------------------------------------------------------------------------
def deadline_for(kind: str, at: datetime.datetime) -> datetime.datetime:
    return at + DEADLINES[DataSubjectRequest.Kind(kind)]


@transaction.atomic
def dsr_create(
    *,
    user: AbstractBaseUser,
    kind: str,
    field: str = "",
    requested_value: str = "",
    note: str = "",
) -> DataSubjectRequest:
    """An owner's request for correction or deletion (access is self-service:
    ``dsr_log_access``)."""
    kind = DataSubjectRequest.Kind(kind)
    field, requested_value, note = field.strip(), requested_value.strip(), note.strip()
    errors: dict[str, list[str]] = {}
    if kind == DataSubjectRequest.Kind.KOREKSI:
        if field not in DataSubjectRequest.Field.values:
            errors["field"] = [_("Pilih data yang ingin diperbaiki.")]
        if not requested_value and not note:
            errors["requested_value"] = [_("Tulis isi yang benar atau keterangan perbaikannya.")]
        if field == DataSubjectRequest.Field.NIK and requested_value:
            # A whole NIK is never stored in clear text, not even in a request.
            errors["requested_value"] = [
                _(
                    "Jangan menulis NIK di sini. Ubah NIK langsung di formulir unit Anda, atau "
                    "tulis keterangan dan petugas Dinas akan menghubungi Anda."
                )
            ]
    # Lock the account's row: two clicks give one open deletion request, not two.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if (
        kind == DataSubjectRequest.Kind.PENGHAPUSAN
        and DataSubjectRequest.objects.filter(
            user=user, kind=kind, status=DataSubjectRequest.Status.OPEN
        ).exists()
    ):
        errors["__all__"] = [_("Permintaan penghapusan Anda sudah diterima dan sedang diproses.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    return DataSubjectRequest.objects.create(
        user=user,
        kind=kind,
        field=field if kind == DataSubjectRequest.Kind.KOREKSI else "",
        requested_value=requested_value if kind == DataSubjectRequest.Kind.KOREKSI else "",
        note=note,
        requested_at=now,
        deadline=deadline_for(kind, now),
    )


def dsr_log_access(*, user: AbstractBaseUser, file_format: str) -> DataSubjectRequest:
    """A download of "Data saya": an access request fulfilled at once by the portal itself."""
    now = timezone.now()
    return DataSubjectRequest.objects.create(
        user=user,
        kind=DataSubjectRequest.Kind.AKSES,
        status=DataSubjectRequest.Status.DONE,
        requested_at=now,
        deadline=deadline_for(DataSubjectRequest.Kind.AKSES, now),
        handled_at=now,
        resolution_note=_("Diunduh sendiri oleh pemilik data (%(format)s).")
        % {"format": file_format.upper()},
    )


def dsr_in_scope(official: AbstractBaseUser, queryset: QuerySet | None = None) -> QuerySet:
    """Requests an official may see: all for province officials and superusers; for a kab/kota
    official, those of owners with a unit in that kab/kota."""
    queryset = DataSubjectRequest.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(official)
    except PermissionError:
        return queryset.none()
    if code is None:
        return queryset
    owners = IKMUnit.objects.filter(kabupaten_code=code, owner__isnull=False).values("owner_id")
    return queryset.filter(user_id__in=owners)


def ensure_can_handle(official: AbstractBaseUser, dsr: DataSubjectRequest) -> None:
    if not dsr_in_scope(official).filter(pk=dsr.pk).exists():
        raise PermissionDenied(_("Permintaan ini di luar wilayah kerja Anda."))


def dsr_lock(dsr_id: int) -> DataSubjectRequest:
    return DataSubjectRequest.objects.select_for_update().get(pk=dsr_id)


def dsr_close(
    *, dsr: DataSubjectRequest, official: AbstractBaseUser, status: str, note: str = ""
) -> DataSubjectRequest:
    """Close a locked, open request (call inside a transaction, after ``dsr_lock``)."""
    ensure_can_handle(official, dsr)
    note = (note or "").strip()
    if not dsr.is_open:
        raise ValidationError(
            _("Permintaan ini sudah %(status)s.") % {"status": dsr.get_status_display().lower()}
        )
    if status == DataSubjectRequest.Status.REJECTED and not note:
        raise ValidationError({"resolution_note": [_("Tulis alasan penolakan untuk pemohon.")]})
    dsr.status = status
    dsr.handled_by = official
    dsr.handled_at = timezone.now()
    dsr.resolution_note = note
    dsr.save(update_fields=["status", "handled_by", "handled_at", "resolution_note"])
    return dsr


def notify_dsr_closed(*, dsr_id: int, email: str, erased: bool = False) -> None:
    """Tell the owner their request was handled (after commit). For a deletion the address was
    taken before the erasure: the mail says so and is the last one (UU PDP Pasal 45); the mail
    queue deletes sent mail after MAIL_KEEP_DAYS."""
    if not email:
        return
    dsr = DataSubjectRequest.objects.get(pk=dsr_id)
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {"dsr": dsr, "erased": erased, "url": f"{base}{reverse('portal:my_data')}"}
        subject = render_to_string("emails/data_request_closed_subject.txt", context).strip()
        body = render_to_string("emails/data_request_closed.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


# --- what the portal holds about an owner (ikm part) -------------------------------------------
def iso(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def account_data(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "nama_depan": user.first_name,
        "nama_belakang": user.last_name,
        "aktif": user.is_active,
        "terdaftar_pada": iso(user.date_joined),
        "terakhir_masuk": iso(user.last_login),
    }


def unit_personal_data(unit: IKMUnit, *, whole_nik: bool) -> dict[str, Any]:
    # As the owner sees it everywhere: a NIK held for an official's check shows as theirs.
    sealed = getattr(unit, "nik_pending_ciphertext", "") or unit.nik_ciphertext
    nik = nik_module.unseal(sealed) if whole_nik else unit.nik_masked
    return {
        "nama_pemilik": unit.owner_name,
        "nik": nik,
        "alamat_rumah": unit.owner_address,
        "telepon_pribadi": unit.owner_phone,
    }


def _security_events():
    """The security event log (``accounts.SecurityEvent``, issue 13), if installed."""
    try:
        return django_apps.get_model("accounts", "SecurityEvent")
    except LookupError:
        return None


def login_data(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Log-ins and other security events of the account (newest first, at most 200): the
    security event log, and django-axes' access log."""
    from axes.models import AccessLog

    rows: list[dict[str, Any]] = []
    events = _security_events()
    if events is not None:
        for event in events.objects.filter(user=user).order_by("-created_at")[:200]:
            rows.append(
                {
                    "waktu": iso(event.created_at),
                    "peristiwa": event.get_kind_display(),
                    "alamat_ip": event.ip_address,
                }
            )
    logs = AccessLog.objects.filter(username__iexact=user.get_username()).order_by("-attempt_time")
    for row in logs[:200]:
        rows.append(
            {
                "waktu": iso(row.attempt_time),
                "peristiwa": _("Masuk")
                + (f" ({_('keluar')} {iso(row.logout_time)})" if row.logout_time else ""),
                "alamat_ip": row.ip_address,
                "peramban": row.user_agent,
            }
        )
    rows.sort(key=lambda r: r["waktu"] or "", reverse=True)
    return rows[:200]


def claims_data(user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "unit": claim.unit.name,
            "status": claim.get_status_display(),
            "catatan": claim.note,
            "dibuat": iso(claim.created_at),
            "diputuskan": iso(claim.decided_at),
        }
        for claim in UnitClaim.objects.filter(user=user).select_related("unit")
    ]


def consents_data(user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "versi_kebijakan": c.notice_version,
            "diberikan": iso(c.given_at),
            "ditarik": iso(c.withdrawn_at),
        }
        for c in Consent.objects.filter(user=user)
    ]


def requests_data(user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "jenis": r.get_kind_display(),
            "status": r.get_status_display(),
            "data": r.get_field_display() if r.field else "",
            "seharusnya": r.requested_value,
            "keterangan": r.note,
            "diajukan": iso(r.requested_at),
            "batas_waktu": iso(r.deadline),
            "ditangani": iso(r.handled_at),
            "catatan_penyelesaian": r.resolution_note,
        }
        for r in DataSubjectRequest.objects.filter(user=user).order_by("-requested_at")
    ]


# --- erasure ---------------------------------------------------------------------------------
def email_digest(email: str) -> str:
    """Keyed hash of an e-mail address: tells the same address again without holding it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"email:" + email.strip().lower().encode(), hashlib.sha256).hexdigest()


def kill_sessions(user_id: int) -> int:
    """End every session of the account (database and cache of the cached_db engine)."""
    store_class: type[SessionBase] = import_string(settings.SESSION_ENGINE + ".SessionStore")
    killed = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data = session.get_decoded()
        except Exception:  # an undecodable session belongs to nobody
            continue
        if str(data.get("_auth_user_id")) == str(user_id):
            store_class(session_key=session.session_key).delete()
            killed += 1
    return killed


def anonymise_owner(*, user_id: int, unit_ids: Iterable[int] = ()) -> dict[str, int]:
    """Clear a person's personal data from the ikm tables; idempotent. Call in a transaction.

    - their units (owned now, or listed in ``unit_ids``): owner name "Dihapus", NIK, home address
      and personal phone cleared; the unit's business data stays (statistics exception);
    - the history rows of those units that carry this person's data (their account as owner,
      or the names/NIK the units had), the same fields;
    - the account: deactivated, unusable password, username "dihapus-<id>", e-mail and names
      cleared, every session ended; log-in records (django-axes) and queued/sent mail removed;
    - their unit claims' and data requests' free text cleared.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from jobs.models import OutboundMail

    counts: dict[str, int] = {}
    units = IKMUnit.objects.filter(Q(owner_id=user_id) | Q(pk__in=list(unit_ids)))
    ids = list(units.values_list("pk", flat=True))
    names = {n for n in units.values_list("owner_name", flat=True) if n and n != ERASED_NAME}
    digests = {d for d in units.values_list("nik_digest", flat=True) if d}
    digests |= {d for d in units.values_list("nik_pending_digest", flat=True) if d}
    # updated_at moves on: a form opened before the erasure is stale (core/versioning.py).
    counts["units"] = units.exclude(**UNIT_PERSONAL_CLEARED).update(
        **UNIT_PERSONAL_CLEARED, updated_at=timezone.now()
    )

    history = IKMUnit.history.model.objects.filter(id__in=ids).filter(
        Q(owner_id=user_id) | Q(owner_name__in=names) | Q(nik_digest__in=digests)
    )
    counts["history"] = history.exclude(**UNIT_PERSONAL_CLEARED).update(**UNIT_PERSONAL_CLEARED)

    counts["claims"] = UnitClaim.objects.filter(user_id=user_id).exclude(note="").update(note="")
    counts["requests"] = (
        DataSubjectRequest.objects.filter(user_id=user_id)
        .exclude(requested_value="", note="")
        .update(requested_value="", note="")
    )

    user = User.objects.select_for_update().filter(pk=user_id).first()
    counts["account"] = 0
    if user is not None:
        old_names = {user.get_username(), user.email}
        erased_username = f"dihapus-{user.pk}"
        if (
            user.get_username() != erased_username
            or user.email
            or user.first_name
            or user.last_name
            or user.is_active
            or user.has_usable_password()
        ):
            counts["account"] = 1
        user.username = erased_username
        user.email = ""
        user.first_name = ERASED_NAME
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        old_names.discard("")
        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            query = Q()
            for name in old_names:
                query |= Q(username__iexact=name)
            if query:
                counts["logins"] = counts.get("logins", 0) + model.objects.filter(query).delete()[0]
        mails = OutboundMail.objects.none()
        for address in old_names:
            if "@" in address:
                mails = mails | OutboundMail.objects.filter(to__contains=[address])
        counts["mails"] = mails.delete()[0]
        events = _security_events()
        if events is not None:
            # Kept for security (Pasal 35), pseudonymised: no name, no address.
            query = Q(user_id=user_id)
            for name in old_names:
                query |= Q(username__iexact=name)
            counts["events"] = (
                events.objects.filter(query)
                .exclude(username=erased_username, ip_address__isnull=True)
                .update(username=erased_username, ip_address=None)
            )
        counts["sessions"] = kill_sessions(user.pk)
    return counts


def erasure_record(
    *,
    user_id: int,
    email: str,
    unit_ids: Iterable[int],
    request: DataSubjectRequest | None = None,
    official: AbstractBaseUser | None = None,
) -> Erasure:
    """The log row of an erasure (call in the erasing transaction); after commit, a line in the
    journal outside the database, so that a restore of an older backup re-applies it."""
    erasure, _created = Erasure.objects.update_or_create(
        user_id_erased=user_id,
        defaults={
            "email_digest": email_digest(email) if email else "",
            "unit_ids": sorted(set(unit_ids)),
            "request": request,
            "erased_by": official,
        },
    )
    entry = {
        "user_id": erasure.user_id_erased,
        "email_digest": erasure.email_digest,
        "unit_ids": erasure.unit_ids,
        "erased_at": erasure.erased_at.isoformat(),
    }
    transaction.on_commit(lambda: journal_append(entry))
    return erasure


def journal_path() -> Path:
    return Path(getattr(settings, "ERASURE_JOURNAL", Path(settings.BACKUP_DIR) / "erasures.jsonl"))


def journal_append(entry: dict) -> None:
    path = journal_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, sort_keys=True) + "\n")
    except OSError:
        # The database row is written: reapply_erasures still finds it, except after restoring
        # a backup older than it. Loud, so an operator notices.
        log.exception("Jurnal penghapusan tidak dapat ditulis: %s", path)


def journal_entries() -> list[dict]:
    path = journal_path()
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
            entries.append(
                {
                    "user_id": int(entry["user_id"]),
                    "email_digest": str(entry.get("email_digest", "")),
                    "unit_ids": [int(i) for i in entry.get("unit_ids", [])],
                    "erased_at": entry.get("erased_at"),
                }
            )
        except (ValueError, KeyError, TypeError):
            log.error("Jurnal penghapusan %s baris %d tidak terbaca: dilewati", path, number)
    return entries


def erasures_to_reapply() -> list[dict]:
    """Every erasure known to the database or the journal (the journal survives a restore)."""
    known: dict[int, dict] = {}
    for entry in journal_entries():
        known[entry["user_id"]] = entry
    for row in Erasure.objects.all():
        entry = known.setdefault(
            row.user_id_erased,
            {"user_id": row.user_id_erased, "email_digest": row.email_digest, "unit_ids": []},
        )
        entry["unit_ids"] = sorted(set(entry["unit_ids"]) | set(row.unit_ids))
    return list(known.values())


def erasure_restore_row(entry: dict) -> Erasure:
    """Put back the log row of a journal entry that a restored backup did not hold."""
    erasure, _created = Erasure.objects.get_or_create(
        user_id_erased=entry["user_id"],
        defaults={
            "email_digest": entry.get("email_digest", ""),
            "unit_ids": entry.get("unit_ids", []),
            "erased_at": datetime.datetime.fromisoformat(entry["erased_at"])
            if entry.get("erased_at")
            else timezone.now(),
        },
    )
    return erasure

"""Writes for business matching: a buyer's request, routing to units, owners' answers, outcome.

Each verb locks the request, checks who may act (an official whose scope holds the request's
kab/kota; the owner of a routed unit), asks ``matching.workflow`` for the move and writes one
``RequestChange``. Mail goes through the queue (``jobs.mail``: a row in the same transaction):
the buyer gets a confirmation, owners a notice of each request routed to them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.text import clean_name
from ikm.identifiers import normalize_phone
from ikm.models import IKMUnit, Region
from ikm.selectors import scope_kabupaten_code, units_in_scope
from products import search
from products.models import Product

from . import workflow
from .models import BuyerRequest, RequestChange, Routing

S = BuyerRequest.Status
A = Routing.Answer
KABUPATEN_LEVELS = (Region.Level.KABUPATEN, Region.Level.KOTA)


def site_url(path: str) -> str:
    return f"{(getattr(settings, 'SITE_URL', '') or '').rstrip('/')}{path}"


# --- scope --------------------------------------------------------------------------------------
def requests_in_scope(user, queryset: QuerySet[BuyerRequest] | None = None):
    """Province officials: every request; a kab/kota official: the requests for that kab/kota
    (a request for "anywhere in Kalbar" is the province's)."""
    queryset = BuyerRequest.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    return queryset if code is None else queryset.filter(kabupaten_id=code)


def ensure_request_scope(user, req: BuyerRequest) -> None:
    if not requests_in_scope(user).filter(pk=req.pk).exists():
        raise PermissionDenied(_("Permintaan ini di luar wilayah kewenangan Anda."))


def _move(req: BuyerRequest, step: workflow.Transition, *, actor, note: str = "") -> None:
    req.status = step.to
    fields = ["status", "updated_at"]
    if step.to in workflow.CLOSED_STATUSES:
        req.closed_at = timezone.now()
        fields.append("closed_at")
    req._history_user = actor
    req.save(update_fields=fields)
    RequestChange.objects.create(
        request=req, from_status=step.frm, to_status=step.to, actor=actor, note=note
    )


def _lock(request_id: int) -> BuyerRequest:
    return BuyerRequest.objects.select_for_update().get(pk=request_id)


# --- the buyer ----------------------------------------------------------------------------------
@transaction.atomic
def request_create(
    *,
    product_wanted: str,
    quantity: str,
    kabupaten_id: str | None,
    buyer_name: str,
    buyer_phone: str = "",
    buyer_email: str = "",
    buyer_organisation: str = "",
    message: str = "",
) -> BuyerRequest:
    """A buyer's request from the public form (spam checks are the form's); mails the buyer."""
    errors = {}
    product_wanted = clean_name(product_wanted)
    buyer_name = clean_name(buyer_name)
    if not product_wanted:
        errors["product_wanted"] = _("Tulis produk yang Anda cari.")
    if not (quantity or "").strip():
        errors["quantity"] = _("Tulis jumlah yang Anda butuhkan, misalnya “200 bungkus”.")
    if not buyer_name:
        errors["buyer_name"] = _("Tulis nama Anda.")
    phone = ""
    try:
        phone = normalize_phone(buyer_phone)
    except ValidationError as exc:
        errors["buyer_phone"] = exc.messages
    if not phone and not (buyer_email or "").strip():
        errors.setdefault(
            "buyer_phone", _("Isi nomor telepon/WhatsApp atau email agar dapat dihubungi.")
        )
    if (
        kabupaten_id
        and not Region.objects.filter(code=kabupaten_id, level__in=KABUPATEN_LEVELS).exists()
    ):
        errors["kabupaten"] = _("Pilih kabupaten/kota dari daftar.")
    if errors:
        raise ValidationError(errors, code="invalid")
    req = BuyerRequest.objects.create(
        product_wanted=product_wanted,
        quantity=quantity.strip(),
        kabupaten_id=kabupaten_id or None,
        buyer_name=buyer_name,
        buyer_organisation=clean_name(buyer_organisation),
        buyer_phone=phone,
        buyer_email=(buyer_email or "").strip(),
        message=(message or "").strip(),
    )
    RequestChange.objects.create(request=req, from_status="", to_status=S.NEW, actor=None)
    if req.buyer_email:
        send_mail(
            _g("Permintaan Anda diterima: %(ref)s") % {"ref": req.reference},
            _g(
                "Yth. %(name)s,\n\nPermintaan temu bisnis Anda sudah kami terima dengan nomor "
                "%(ref)s.\nProduk: %(product)s\nJumlah: %(quantity)s\n\nPetugas Dinas akan "
                "meneruskannya ke unit IKM yang sesuai dan menghubungi Anda.\n"
            )
            % {
                "name": req.buyer_name,
                "ref": req.reference,
                "product": req.product_wanted,
                "quantity": req.quantity,
            },
            settings.DEFAULT_FROM_EMAIL,
            [req.buyer_email],
        )
    return req


# --- officials ------------------------------------------------------------------------------------
def suggest_units(req: BuyerRequest, user, limit: int = 8) -> list[dict]:
    """Units whose published products match the wanted product (``products.search``), units of
    the request's kab/kota first, then the rest of the official's scope. One entry per unit."""
    parsed = search.parse_query(req.product_wanted, {})
    if parsed.is_empty:
        return []
    search.prepare_search(parsed)
    base = Product.objects.filter(
        is_published=True, unit__verified=True, unit__in=units_in_scope(user)
    )
    found = search.apply_search(base, parsed)
    if not found.exists() and len(parsed.text_terms) > 1:
        # Every word must match; a buyer's wording often has one the products lack: any word.
        any_word = Q(pk__in=[])
        for term in parsed.text_terms:
            one = search.parse_query(term, {})
            search.prepare_search(one)
            any_word |= Q(pk__in=search.apply_search(base, one, rank=False).values("pk"))
        found = base.filter(any_word).annotate(rank=search.search_rank(parsed))
    rows = found.select_related("unit").order_by("-rank", "name")[:200]
    units: dict[int, dict] = {}
    for product in rows:
        entry = units.setdefault(
            product.unit_id, {"unit": product.unit, "products": [], "rank": product.rank}
        )
        if len(entry["products"]) < 3:
            entry["products"].append(product)
    same = [e for e in units.values() if e["unit"].kabupaten_code == req.kabupaten_id]
    other = [e for e in units.values() if e["unit"].kabupaten_code != req.kabupaten_id]
    return (same + other)[:limit]


@transaction.atomic
def request_route(
    *, request_id: int, official: AbstractBaseUser, unit_ids: list[int], note: str = ""
) -> BuyerRequest:
    """Send the request to these units (verified, in the official's scope); mails their owners."""
    req = _lock(request_id)
    ensure_request_scope(official, req)
    if req.status not in workflow.ROUTABLE_STATUSES:
        raise workflow.TransitionNotAllowed(
            _("Permintaan berstatus “%(status)s” tidak dapat diteruskan lagi."),
            code="transition_not_allowed",
            params={"status": S(req.status).label},
        )
    step = (
        workflow.transition(req.status, S.ROUTED, workflow.OFFICIAL)
        if req.status == S.NEW
        else None
    )
    units = list(units_in_scope(official).filter(pk__in=unit_ids or [], verified=True))
    if not unit_ids or len(units) != len(set(unit_ids)):
        raise ValidationError(
            {"units": _("Pilih unit IKM terverifikasi di wilayah kerja Anda.")}, code="units"
        )
    already = set(req.routings.values_list("unit_id", flat=True))
    new_units = [u for u in units if u.pk not in already]
    if not new_units:
        raise ValidationError(
            {"units": _("Permintaan ini sudah diteruskan ke unit itu.")}, code="units"
        )
    for unit in new_units:
        routing = Routing(request=req, unit=unit, routed_by=official)
        routing._history_user = official
        routing.save()
    if step:
        _move(req, step, actor=official, note=(note or "").strip())
    else:
        RequestChange.objects.create(
            request=req,
            from_status=req.status,
            to_status=req.status,
            actor=official,
            note=_g("Diteruskan juga ke: %(units)s")
            % {"units": ", ".join(u.name for u in new_units)},
        )
    _mail_owners(req, new_units)
    return req


def _mail_owners(req: BuyerRequest, units: list[IKMUnit]) -> None:
    url = site_url(reverse("portal:matching_list"))
    for unit in units:
        owner = unit.owner
        if not owner or not owner.email:
            continue
        send_mail(
            _g("Permintaan pembeli untuk %(unit)s: %(ref)s")
            % {"unit": unit.name, "ref": req.reference},
            _g(
                "Dinas meneruskan permintaan pembeli kepada %(unit)s.\n\nProduk: %(product)s\n"
                "Jumlah: %(quantity)s\n\nJawab (berminat atau tidak) di portal: %(url)s\n"
            )
            % {
                "unit": unit.name,
                "product": req.product_wanted,
                "quantity": req.quantity,
                "url": url,
            },
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )


@transaction.atomic
def request_reject_spam(
    *, request_id: int, official: AbstractBaseUser, note: str = ""
) -> BuyerRequest:
    req = _lock(request_id)
    ensure_request_scope(official, req)
    step = workflow.transition(req.status, S.REJECTED, workflow.OFFICIAL)
    _move(req, step, actor=official, note=(note or "").strip())
    return req


@transaction.atomic
def request_close(
    *,
    request_id: int,
    official: AbstractBaseUser,
    deal: bool,
    value: int | None = None,
    note: str = "",
) -> BuyerRequest:
    """Record the outcome: a deal (with its value in Rupiah) or no deal."""
    req = _lock(request_id)
    ensure_request_scope(official, req)
    step = workflow.transition(
        req.status, S.CLOSED_DEAL if deal else S.CLOSED_NO_DEAL, workflow.OFFICIAL
    )
    if deal:
        if value is None or int(value) <= 0:
            raise ValidationError(
                {"value": _("Isi nilai transaksi dalam Rupiah (lebih dari 0).")}, code="value"
            )
        req.deal_value = int(value)
    else:
        req.deal_value = None
    req.outcome_note = (note or "").strip()
    req.save(update_fields=["deal_value", "outcome_note", "updated_at"])
    _move(req, step, actor=official, note=req.outcome_note)
    return req


# --- owners -------------------------------------------------------------------------------------
def routings_for_owner(user) -> QuerySet[Routing]:
    return (
        Routing.objects.filter(unit__owner=user)
        .exclude(request__status=S.REJECTED)
        .select_related("request", "request__kabupaten", "unit")
        .order_by("-routed_at", "-id")
    )


@transaction.atomic
def routing_answer(
    *, routing_id: int, owner: AbstractBaseUser, interested: bool, offer: str = ""
) -> Routing:
    routing = Routing.objects.select_for_update().select_related("unit").get(pk=routing_id)
    if routing.unit.owner_id != getattr(owner, "pk", None):
        raise PermissionDenied(_("Hanya pemilik unit yang dapat menjawab permintaan ini."))
    req = _lock(routing.request_id)
    if req.status in workflow.CLOSED_STATUSES:
        raise workflow.TransitionNotAllowed(
            _("Permintaan ini sudah ditutup; jawaban tidak dapat diubah."), code="closed"
        )
    if routing.answer != A.PENDING:
        raise workflow.TransitionNotAllowed(_("Permintaan ini sudah Anda jawab."), code="answered")
    offer = (offer or "").strip()
    if interested and not offer:
        raise ValidationError(
            {"offer": _("Tulis penawaran Anda: harga, jumlah yang sanggup, waktu kirim.")},
            code="offer",
        )
    # The first answer moves a routed request to answered; later answers of other units keep it
    # there; any other status (new, closed, spam) is refused by the table.
    step = (
        workflow.transition(req.status, S.ANSWERED, workflow.OWNER)
        if req.status != S.ANSWERED
        else None
    )
    routing.answer = A.INTERESTED if interested else A.DECLINED
    routing.offer = offer
    routing.answered_at = timezone.now()
    routing._history_user = owner
    routing.save(update_fields=["answer", "offer", "answered_at"])
    if step:
        _move(req, step, actor=owner, note=f"{routing.unit.name}: {A(routing.answer).label}")
    else:
        RequestChange.objects.create(
            request=req,
            from_status=req.status,
            to_status=req.status,
            actor=owner,
            note=f"{routing.unit.name}: {A(routing.answer).label}",
        )
    return routing

"""The owner's view of the Griya IKM showroom's consignment ledger (read-only): their notes with
the stock of each item, and their monthly settlements with the receipt PDF. Reads from
``consignment.selectors``; another owner's settlement is 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consignment import selectors
from consignment.models import ConsignmentItem
from consignment.receipt import settlement_receipt_pdf


@never_cache
@login_required
@require_GET
def consignment(request: HttpRequest) -> HttpResponse:
    notes = list(selectors.owner_notes(request.user))
    items = selectors.items_with_figures(
        ConsignmentItem.objects.filter(note__in=notes).select_related("product", "note")
    ).order_by("note_id", "line")
    by_note: dict[int, list] = {}
    for item in items:
        by_note.setdefault(item.note_id, []).append(item)
    return render(
        request,
        "portal/consignment.html",
        {
            "notes": [(note, by_note.get(note.pk, [])) for note in notes],
            "settlements": list(selectors.owner_settlements(request.user)),
        },
    )


@never_cache
@login_required
@require_GET
def settlement_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = selectors.owner_settlements(request.user).filter(pk=pk).first()
    if settlement is None:
        raise Http404
    response = HttpResponse(settlement_receipt_pdf(settlement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kuitansi-{settlement.reference}.pdf"'
    return response

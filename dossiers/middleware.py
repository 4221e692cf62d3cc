"""Every answer that shows dossier data is a logged read, whatever the method."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dossiers.access import Shown, log_read

SHOWN_ANSWERS = (400, 409, 422)  # a form shown again with its errors, a conflict


class ReadsShownMiddleware:
    """A POST answered with a page (a form shown again with stored values, the conflict
    page with the stored version) showed the record: log the read, as a GET would have.
    A redirect after a save shows nothing; the write is logged by its service."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        shown: Shown | None = getattr(request, "dossier_shown", None)
        if (
            shown is not None
            and (response.status_code < 300 or response.status_code in SHOWN_ANSWERS)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            log_read(
                request,
                shown.access,
                part=shown.part,
                object_id=shown.read_id,
                event_type=shown.event_type,
            )
        return response

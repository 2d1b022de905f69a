"""Uploading a usage file (CSV): imported whole with its lines and bytes, or refused
whole with each line's error; and the recent files.

Thin: the form checks the upload (size, text, UTF-8), ``dropline.usage.csv_import``
reads its lines, counts them and keeps a record of the file (audited).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.usage_ops.forms import UsageFileForm
from dropline.backoffice.usage_ops.status import tabs
from dropline.usage import status
from dropline.usage.csv_import import import_usage_file
from dropline.usage.errors import ImportRefusedError, UsageError
from dropline.usage.models import UsageImport

# A refused file's errors shown on the page, at most.
MAX_ERRORS_SHOWN = 200


@staff_permission_required("usage.add_usageimport")
@require_http_methods(["GET", "POST"])
def usage_imports(request: HttpRequest) -> HttpResponse:
    form = UsageFileForm()
    imported: UsageImport | None = None
    refused: list[tuple[int, str]] = []
    refusal = ""
    code = 200
    if request.method == "POST":
        form = UsageFileForm(request.POST, request.FILES)
        if form.is_valid():
            file_name, data = form.cleaned_data["file"]
            try:
                imported = import_usage_file(
                    file_name=file_name, data=data, actor=signed_in_user(request)
                )
            except ImportRefusedError as exc:
                refused = list(exc.errors)
                code = 400
            except UsageError as exc:
                refusal = exc.message
                code = 400
            else:
                form = UsageFileForm()
        else:
            code = 400
    return render(
        request,
        "backoffice/usage_ops/imports.html",
        {
            "tabs": tabs(request, "usage_imports"),
            "form": form,
            "imported": imported,
            "refused": refused[:MAX_ERRORS_SHOWN],
            "refused_count": len(refused),
            "more_errors": max(0, len(refused) - MAX_ERRORS_SHOWN),
            "refusal": refusal,
            "imports": status.recent_imports(),
        },
        status=code,
    )

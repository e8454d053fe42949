"""Responses that hand a private file (evidence documents, report files) to the client after the
view has checked access.

With PRIVATE_FILES_SERVED_BY=nginx the response carries no body, only `X-Accel-Redirect` naming the
file under nginx's internal location (PRIVATE_FILES_NGINX_LOCATION, an alias of PRIVATE_FILES_ROOT,
deploy/nginx.conf.template): nginx streams the bytes and no Python worker opens the file. Otherwise
(`make run`, the test suite, a server without nginx) Django streams it with FileResponse.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(*, file: FieldFile, filename: str, content_type: str = "") -> HttpResponse:
    """An attachment download of `file` (a FieldFile on the private storage) named `filename`."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.PRIVATE_FILES_SERVED_BY == "nginx":
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        # Storage names are relative and never hold "..": nginx resolves this inside its alias only.
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_NGINX_LOCATION + quote(file.name)
    else:
        response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

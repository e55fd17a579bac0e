"""uvicorn's h11 protocol, answering requests it cannot read with problem+json like every other error.

A request line or headers over h11's limit (16 KiB in all), or malformed HTTP, never reach the app:
uvicorn answered them with a plain-text 400. Here they get ``application/problem+json`` (431 for
headers that are too large, 400 otherwise), the security headers, and no ``server`` header.
"""

from __future__ import annotations

import json
import sys
import uuid
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.middleware import CSP_DATA, DEFAULT_HEADERS
from service.problems import PROBLEM_MEDIA_TYPE, problem_body

__all__ = ["ProblemH11Protocol"]

_DETAIL = {
    400: "the request could not be read (malformed HTTP)",
    431: "the request line and headers are larger than the server accepts (16 KiB in all)",
}


class ProblemH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        # Called from uvicorn's `except h11.RemoteProtocolError` block: the error says which status.
        exc = sys.exc_info()[1]
        hint = getattr(exc, "error_status_hint", 400) if isinstance(exc, h11.RemoteProtocolError) else 400
        status = hint if hint in _DETAIL else 400
        phrase = HTTPStatus(status).phrase
        body = json.dumps(problem_body(status, _DETAIL[status], request_id=uuid.uuid4().hex, title=phrase)).encode()
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *DEFAULT_HEADERS,
            (b"content-security-policy", CSP_DATA),
        ]
        for event in (h11.Response(status_code=status, headers=headers, reason=phrase.encode()),
                      h11.Data(data=body), h11.EndOfMessage()):
            output = self.conn.send(event)
            if output:
                self.transport.write(output)
        self.transport.close()

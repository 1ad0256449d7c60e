"""The web application: one page with the form and its results, and the
downloads.  Built on Starlette (routing, forms, static files, test client)
with Jinja2 templates (autoescaped); :func:`serve` runs it under uvicorn on
127.0.0.1 only.

Routes
------
``GET /``
    The form (a new area, or a pilot site).
``POST /``
    Read the form; the same page with each problem beside its field (422),
    or with the results (200), or with a message when the run failed (500).
``POST /download/{yaml,html,xlsx}``
    The scenario file, the HTML report or the workbook for the submitted
    form, made in memory.
``GET /static/...``
    The page's stylesheet and script, served by the app.

Every response forbids loading anything from elsewhere
(Content-Security-Policy); a request body over :data:`MAX_BODY_BYTES` is
refused (413), and so is a body that is not a form (415), a multipart body
with no readable field, or one that gives a field twice (400); only the
hosts 127.0.0.1 and localhost are answered, and a form another site's page
sends is refused (its ``Origin`` is not the app's).
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sroi.app import compute, page
from sroi.app.charts import CHART_COUNT, charts, narrow_png
from sroi.app.compute import PilotRuns
from sroi.app.downloads import make
from sroi.app.form import FormResult, read_form

#: Largest request body accepted [bytes]; a full form is under 4 KiB.
MAX_BODY_BYTES = 64 * 1024
#: Hosts the app answers to: loopback only.
HOSTS = ("127.0.0.1", "localhost")
#: Runs whose charts a phone may still ask for, drawn narrow [runs]: the
#: latest few, each some tens of MB at the default draws.
RUNS_KEPT = 4
#: Sent with every response: nothing may load from anywhere but the app
#: itself (charts are ``data:`` images), and no other site may frame it.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}

if TYPE_CHECKING:
    from sroi.results import Results

log = logging.getLogger("sroi.app")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse a request whose body is over ``limit`` bytes
    (413), by its Content-Length or, without one, as it arrives; and add
    :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = PlainTextResponse(
            f"Request too large: at most {self.limit:,} bytes.", status_code=413
        )
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await too_big(scope, receive, self._secure(send))
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, self._secure(send))
        except _TooLarge:
            await too_big(scope, receive, self._secure(send))

    @staticmethod
    def _secure(send: Send) -> Send:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = list(message.get("headers") or []) + extra
            await send(message)

        return with_headers


class _TooLarge(Exception):
    """A request body went over the limit."""


@cache
def environment() -> Environment:
    """The page's template environment: autoescaped, strict about undefined names."""
    return Environment(
        loader=PackageLoader("sroi.app", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(status: int = 200, **context: Any) -> HTMLResponse:
    """The page with ``context`` (see :func:`sroi.app.page.context`)."""
    html = environment().get_template("page.html").render(**page.context(**context))
    return HTMLResponse(html, status_code=status)


#: The kinds of body a form may be sent as.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def _form(request: Request) -> dict[str, str]:
    """The submitted fields; a body that is not a form (415), a multipart
    body with no readable field or one that gives a field twice (400) is
    refused, never read as an empty form or by its last value."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_TYPES:
        raise HTTPException(
            415,
            f"Expected a form ({' or '.join(FORM_TYPES)}); found {kind or 'no content type'!r}.",
        )
    form = await request.form(max_files=0, max_fields=100, max_part_size=MAX_BODY_BYTES)
    fields: dict[str, str] = {}
    for key, value in form.multi_items():
        if key in fields:
            raise HTTPException(
                400, f"The field {key[:80]!r} is given more than once; give it once."
            )
        if isinstance(value, str):
            fields[key] = value
    if not fields and kind == "multipart/form-data" and request.headers.get("content-length"):
        # A multipart body whose parts cannot be read yields no field at all;
        # the page always sends its fields.
        raise HTTPException(400, "The form's multipart body could not be read: no field found.")
    return fields


class RecentRuns:
    """The latest :data:`RUNS_KEPT` runs by a random token, so a phone can ask
    for their charts drawn narrow (:func:`~sroi.app.charts.narrow_png`) only
    when it shows them: a laptop never pays for drawing them."""

    def __init__(self, kept: int = RUNS_KEPT) -> None:
        self.kept = kept
        self._runs: OrderedDict[str, Results] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, results: Results) -> str:
        """Keep ``results``; return its token."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._runs[token] = results
            while len(self._runs) > self.kept:
                self._runs.popitem(last=False)
        return token

    def get(self, token: str) -> Results | None:
        """The run kept under ``token``, or None once it has been dropped."""
        with self._lock:
            return self._runs.get(token)


def create_app(pilot_runs: PilotRuns | None = None) -> Starlette:
    """The application; ``pilot_runs`` keeps the pilots' runs between requests."""
    pilots = pilot_runs or PilotRuns()
    recent = RecentRuns()
    # One run at a time: the machine's cores are shared by every run.
    running = threading.Lock()

    async def home(request: Request) -> Response:
        return render(form=None)

    def show(result: FormResult) -> Response:
        assert result.prepared is not None and result.settings is not None
        with running:
            results = compute.run_scenario(result.prepared, result.settings)
            shown = compute.outcome(results, pilots.get(result.settings))
            token = recent.add(results)
            images = charts(results, narrow=lambda i: f"/chart/{token}/{i}.png")
        return render(form=result, outcome=shown, charts=images)

    async def narrow_chart(request: Request) -> Response:
        results = recent.get(request.path_params["token"])
        index = request.path_params["index"]
        if results is None or index not in range(CHART_COUNT):
            return PlainTextResponse("No such chart: run the page again.", status_code=404)

        def drawn() -> bytes:
            with running:
                return narrow_png(results, index)

        return Response(await run_in_threadpool(drawn), media_type="image/png")

    async def submit(request: Request) -> Response:
        if not _same_origin(request):
            return _cross_site()
        result = await run_in_threadpool(read_form, await _form(request))
        if not result.ok:
            return render(422, form=result)
        try:
            return await run_in_threadpool(show, result)
        except Exception as exc:  # a failed run is reported; the server keeps serving
            log.exception("run failed")
            return render(500, form=result, failure=_failure(exc))

    async def download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if not _same_origin(request):
            return _cross_site()
        if kind not in ("yaml", "html", "xlsx"):
            return PlainTextResponse("No such download.", status_code=404)
        result = await run_in_threadpool(read_form, await _form(request))
        if not result.ok:
            return render(422, form=result)
        assert result.prepared is not None and result.settings is not None
        prepared, settings = result.prepared, result.settings

        def made() -> Response:
            with running:
                file = make(kind, prepared, settings)
            return Response(
                file.content,
                media_type=file.media_type,
                headers={"content-disposition": f'attachment; filename="{file.file_name}"'},
            )

        try:
            return await run_in_threadpool(made)
        except ImportError as exc:
            return render(
                500, form=result, failure=f"{exc}. Install it with pip install 'sroi[app]'."
            )
        except Exception as exc:
            log.exception("download failed")
            return render(500, form=result, failure=_failure(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Not found.", status_code=404)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("request failed", exc_info=exc)
        return PlainTextResponse("Something went wrong; the server is still running.", 500)

    return Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/", submit, methods=["POST"]),
            Route("/download/{kind}", download, methods=["POST"]),
            Route("/chart/{token}/{index:int}.png", narrow_chart, methods=["GET"]),
            Mount("/static", StaticFiles(packages=[("sroi.app", "static")]), name="static"),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=list(HOSTS)),
            Middleware(BodyLimit),
        ],
        exception_handlers={404: not_found, 500: server_error},
    )


def _cross_site() -> Response:
    return PlainTextResponse("Refused: the form was sent from another site.", 403)


def _same_origin(request: Request) -> bool:
    """Whether a form comes from the page itself: a browser names the page
    that sent it (``Origin``), and another site's page may not run or
    download anything here.  A client that sends no ``Origin`` is let in."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _failure(exc: Exception) -> str:
    name = type(exc).__name__
    return f"The run failed ({name}: {exc}). Nothing was changed; check the answers and try again."


def serve(
    port: int = 8000, open_browser: bool = True, ready: Callable[[str], None] = print
) -> None:
    """Run the app on 127.0.0.1:``port`` (0: a free port) until interrupted.
    Once the server listens, ``ready`` is told its address and the browser
    opens it unless ``open_browser`` is false.

    Raises
    ------
    OSError
        When the port cannot be bound (in use, or not allowed).
    """
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if not self.started:
                return
            bound = self.servers[0].sockets[0].getsockname()[1] if self.servers else port
            address = f"http://127.0.0.1:{bound}/"
            ready(address)
            if open_browser:
                import webbrowser

                webbrowser.open(address)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
    except OSError:
        listener.close()
        raise
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False)
    with listener:
        Server(config).run(sockets=[listener])


__all__ = ["HOSTS", "MAX_BODY_BYTES", "SECURITY_HEADERS", "BodyLimit", "create_app", "serve"]

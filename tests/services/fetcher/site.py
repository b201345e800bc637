"""A real HTTP server on loopback whose pages, feeds and misbehaviours a test sets up."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from email.utils import formatdate

from aiohttp import web

from shared.broker import free_port

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Site:
    """Routes by path; every request is counted. Unknown paths (and robots.txt) answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.headers: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0
        self.port = free_port()
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this site."""
        return self.base + path

    def route(self, path: str, handler: Handler) -> None:
        """Answer ``path`` with ``handler``."""
        self.routes[path] = handler

    def static(self, path: str, body: bytes | str, content_type: str = "text/html", **headers: str) -> None:
        """Answer ``path`` with a fixed body, honouring If-None-Match against an ``ETag`` header."""
        data = body.encode() if isinstance(body, str) else body

        async def handler(request: web.Request) -> web.StreamResponse:
            etag = headers.get("ETag")
            if etag and request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            return web.Response(body=data, content_type=content_type, headers=headers, charset="utf-8")

        self.route(path, handler)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs if request.path_qs in self.routes else request.path
        self.hits[path] += 1
        self.headers.append((path, dict(request.headers)))
        handler = self.routes.get(path)
        if handler is None:
            return web.Response(status=404, text="not here")
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            return await handler(request)
        finally:
            self.active -= 1

    async def start(self) -> Site:
        """Serve on 127.0.0.1 in the running loop."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Site:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self) -> Site:
        """Serve from a thread of its own (for worker processes to reach while the test waits)."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self.start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop())
            self._loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop_thread(self) -> None:
        """Stop a server started with :meth:`start_in_thread`."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


def rss(items: list[tuple[str, str]], title: str = "Wire") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    date = formatdate(1_790_000_000, usegmt=True)
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{date}</pubDate></item>" for t, link in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def article(title: str) -> str:
    """A small HTML article page."""
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>Text of {title}.</p></body></html>"

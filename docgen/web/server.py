"""`docgen serve`: the page on a local web server (werkzeug, threaded) until Ctrl+C."""

from __future__ import annotations

import signal
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace

from werkzeug.serving import BaseWSGIServer, make_server

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.web.app import Settings, create_app, is_loopback, new_token
from docgen.web.jobs import Jobs
from docgen.web.previews import Previews


@dataclass
class Server:
    """A listening server: its address (with the token when one is needed), its jobs and its
    warm LibreOffice for previews."""

    wsgi: BaseWSGIServer
    url: str
    settings: Settings
    jobs: Jobs
    previews: Previews

    def close(self) -> None:
        self.wsgi.server_close()
        self.previews.close()  # LibreOffice and its profile go with the server
        self.jobs.close()  # every job's temporary files go with the server


def start(settings: Settings, port: int, warm_previews: bool = True) -> Server:
    """Listen on settings.host:port (0: any free port); on any address but loopback a fresh
    token is made (unless one is given) and required of every visitor."""
    if not is_loopback(settings.host) and not settings.token:
        settings = replace(settings, token=new_token())
    jobs = Jobs()
    previews = Previews(warm=warm_previews)  # LibreOffice starts in the background
    app = create_app(settings, jobs, previews)
    try:
        wsgi = make_server(settings.host, port, app, threaded=True)
    except OSError as exc:
        previews.close()
        jobs.close()
        raise DocgenError(
            _("không mở được máy chủ ở {host}:{port}: {reason}").format(
                host=settings.host, port=port, reason=exc.strerror or exc
            )
        ) from exc
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{shown}:{wsgi.server_port}/"
    if settings.token:
        url += f"?token={settings.token}"
    return Server(wsgi, url, settings, jobs, previews)


def serve(settings: Settings, port: int, open_browser: bool, echo: Callable[[str], None]) -> None:
    """Serve until interrupted, printing the address (and the token when one is needed)."""
    server = start(settings, port)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)  # `kill` cleans up like Ctrl+C
    try:
        if server.settings.token:
            echo(
                _("Mã truy cập (người dùng máy khác cần mã này): {token}").format(
                    token=server.settings.token
                )
            )
        echo(_("Trang của docgen: {url}  (Ctrl+C để dừng)").format(url=server.url))
        if open_browser:
            webbrowser.open(server.url)
        server.wsgi.serve_forever()
    finally:
        server.close()


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

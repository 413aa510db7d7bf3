"""gunicorn settings that hold wherever xieshang is served: gunicorn reads
this file when started in the project root without -c, and
deploy/gunicorn.conf.py (which production and ./run use) reads it too.
Where to listen and how many workers are given on the command line or in
deploy/gunicorn.conf.py. See docs/operations.md, "Web workers".
"""

import gc
import os

# Threads in each worker process: while one thread waits (for the database,
# for SQLite's write lock, for a slow client), the others answer. Python runs
# one thread at a time per process, so the processes give the cores, the
# threads the overlap; fewer processes also means less memory.
worker_class = "gthread"
threads = int(os.environ.get("XIESHANG_WEB_THREADS", "4"))
# Load the application, its URLconf and the libraries every worker needs
# (the jieba dictionary among them) once in the master, before forking: the
# workers share those pages instead of each loading its own copy, and start
# faster. Code changes then need a restart, not a reload (HUP).
preload_app = True
timeout = 120
graceful_timeout = 30
# Restart workers now and then so that a slow leak never matters.
max_requests = 2000
max_requests_jitter = 200
# No limit on the request line here: an address too long is refused by the
# application (XIESHANG_MAX_URL_LENGTH) with a 414 that says why, in the
# user's language, where gunicorn would answer its own bare 414. nginx in
# front bounds the line (large_client_header_buffers in deploy/nginx.conf).
limit_request_line = 0
# One service per host; no control socket in the service user's home.
control_socket_disable = True


def when_ready(server):  # type: ignore[no-untyped-def]
    """In the master, after the application is loaded and before the first
    fork: import what Django would otherwise import on each worker's first
    request (the URLconf and every view module behind it), so that the
    workers share it."""
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver(settings.ROOT_URLCONF).url_patterns  # noqa: B018 (imports the views)
    _close_connections()
    # Keep the garbage collector off the preloaded objects, so that it does
    # not write to (and so copy) the pages the workers share.
    gc.freeze()


def pre_fork(server, worker):  # type: ignore[no-untyped-def]
    """Never hand a database connection opened in the master to a worker."""
    if server.cfg.preload_app:
        _close_connections()


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()

"""gunicorn settings for a production web host (read with `gunicorn -c`).

The application itself is configured by environment variables only (see
docs/operations.md); this file sets the web server around it. The settings
that do not depend on the host (worker kind, preloading, limits) are in
gunicorn.conf.py at the project root, which gunicorn also reads by itself
when started there without -c; this file adds where to listen, how many
workers and the logs.
"""

import multiprocessing
import os
import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(
            str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")
        ).items()
        if not name.startswith("_")
    }
)

bind = os.environ.get("XIESHANG_BIND", "0.0.0.0:8000")
# One process per core, each with a few threads (worker_class and threads in
# the root gunicorn.conf.py); see docs/operations.md, "Web workers".
workers = int(os.environ.get("XIESHANG_WEB_WORKERS", multiprocessing.cpu_count()))
# The nginx hosts: only they may say a request came over HTTPS
# (X-Forwarded-Proto). Comma-separated addresses.
forwarded_allow_ips = os.environ.get("XIESHANG_PROXY_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"

"""gunicorn settings for a production web host (read with `gunicorn -c`).

The application itself is configured by environment variables only (see
docs/operations.md); this file sets the web server around it.
"""

import multiprocessing
import os

bind = os.environ.get("XIESHANG_BIND", "0.0.0.0:8000")
# Two workers per core plus one is gunicorn's usual starting point.
workers = int(os.environ.get("XIESHANG_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 120
graceful_timeout = 30
# Restart workers now and then so that a slow leak never matters.
max_requests = 2000
max_requests_jitter = 200
# The nginx hosts: only they may say a request came over HTTPS
# (X-Forwarded-Proto). Comma-separated addresses.
forwarded_allow_ips = os.environ.get("XIESHANG_PROXY_IPS", "127.0.0.1")
# No limit on the request line here: an address too long is refused by the
# application (XIESHANG_MAX_URL_LENGTH) with a 414 that says why, in the
# user's language, where gunicorn would answer its own bare 414. nginx in
# front bounds the line (large_client_header_buffers in deploy/nginx.conf).
limit_request_line = 0
# One service per host; no control socket in the service user's home.
control_socket_disable = True
accesslog = "-"
errorlog = "-"

#!/usr/bin/env bash
# The side-by-side benchmark against OpenSlides 3.3, as ../shared/peers/run_both.sh
# runs it, with xieshang's side from this repository (bench/peer_bench.py: the
# harness's phases, and the whole list read in one request). From the project root:
#
#     bench/peers.sh                        # N=1000 items, C=8 client threads, 3 workers
#     N=300 C=4 WORKERS=2 bench/peers.sh
#     PEERS_DIR=/path/to/peers bench/peers.sh
#
# xieshang: a throwaway SQLite database (DATABASE_URL) in a temp folder, migrated,
# with the demo councils and people only (seed_demo), served by gunicorn with
# WORKERS workers on a free loopback port, with the project's gunicorn.conf.py
# (read by gunicorn from the project root). OpenSlides: the harness's
# openslides33/run_all.sh. Only 127.0.0.1 is used. Results: $PEERS_OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
export PEERS_DIR=${PEERS_DIR:-$(cd .. && pwd)/shared/peers}
N=${N:-1000}; C=${C:-8}; WORKERS=${WORKERS:-3}
export PEERS_OUT=${PEERS_OUT:-/tmp/peers-results}
mkdir -p "$PEERS_OUT"
[ -x .venv/bin/gunicorn ] || { echo "run ./run once first, so that .venv exists" >&2; exit 2; }
"$PEERS_DIR/openslides33/setup.sh" >/dev/null
TMP=$(mktemp -d /tmp/xs-peer.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export DATABASE_URL="sqlite:///$TMP/bench.sqlite3" XIESHANG_DEBUG=false XIESHANG_VAR_DIR="$TMP/var"
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py seed_demo >/dev/null
setsid .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --no-control-socket --access-logfile /dev/null --error-logfile "$TMP/web.log" >"$TMP/app.log" 2>&1 &
GPID=$!
stop() { kill -TERM -- "-$GPID" 2>/dev/null || true; sleep 1; rm -rf "$TMP"; }
trap stop EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 1; done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
echo "### xieshang ($WORKERS gunicorn workers, SQLite) N=$N C=$C  $(uptime)"
/tmp/os33/venv/bin/python bench/peer_bench.py --base "http://127.0.0.1:$PORT" -n "$N" -c "$C" \
  --json "$PEERS_OUT/$stamp-xieshang-repo-N$N-C$C.json" | tee "$PEERS_OUT/$stamp-xieshang-repo-N$N-C$C.txt"
stop; trap - EXIT
echo "### OpenSlides 3.3 (one process, SQLite) N=$N C=$C  $(uptime)"
N=$N C=$C "$PEERS_DIR/openslides33/run_all.sh" | grep '^RESULT\|^#'
echo "results in $PEERS_OUT"

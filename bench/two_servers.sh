#!/usr/bin/env bash
# Two stateless app servers and the background worker against one PostgreSQL, under load.
#   DATABASE_URL=postgres://USER@127.0.0.1:PORT/EMPTY_DB bench/two_servers.sh [SECONDS]
# Loads the demo into the (empty) database, starts two granian servers (2 workers each)
# on 127.0.0.1:8101 and :8102 and one db_worker, then drives both servers at once with wrk
# (the city office's session) on three pages, while a report build runs in the background.
# Prints requests/s and latency per page and server. Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to an empty PostgreSQL database}"
SECONDS_EACH=${1:-20}
export XUEJIAO_VAR_DIR=${XUEJIAO_VAR_DIR:-$(mktemp -d /tmp/xj-two.XXXXXX)}
PY=.venv/bin/python
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo >/dev/null
SESSION=$($PY manage.py shell -v0 -c "
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from orgs.models import Account
a = Account.objects.get(username='lhasa-office')
s = SessionStore(); s[SESSION_KEY] = str(a.pk); s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
s[HASH_SESSION_KEY] = a.get_session_auth_hash(); s.create(); print(s.session_key)")
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
for port in 8101 8102; do
  .venv/bin/granian --interface wsgi xuejiao.wsgi:application --host 127.0.0.1 --port $port --workers 2 \
    --blocking-threads 1 --log-level warning &
  pids+=($!)
done
$PY manage.py db_worker >/dev/null 2>&1 &
pids+=($!)
for port in 8101 8102; do
  until curl -sf "http://127.0.0.1:$port/health/" >/dev/null; do sleep 0.2; done
done
# A background report build while the servers are under load.
$PY manage.py shell -v0 -c "
import datetime
from reports import services
from orgs.models import Account, Unit
services.request_build(actor=Account.objects.get(username='lhasa-office'), unit=Unit.objects.get(code='540100'),
                     as_of=datetime.date(2021, 12, 31), language='zh-hans', format='pdf')" || echo "(no background build started)"
printf "%-44s %-6s %10s %10s %10s\n" page server "req/s" "p50 ms" "p99 ms"
for path in "/orgs/units/540102/" "/ledger/indicators/?unit=540100" "/reports/dashboard/?unit=540100"; do
  for port in 8101 8102; do
    wrk -t1 -c8 -d"${SECONDS_EACH}s" --latency -H "Cookie: sessionid=$SESSION" "http://127.0.0.1:$port$path" >"/tmp/wrk-$port.txt" &
  done
  wait %wrk 2>/dev/null || true
  sleep $((SECONDS_EACH + 1))
  for port in 8101 8102; do
    rps=$(awk '/Requests\/sec/ {print $2}' "/tmp/wrk-$port.txt")
    p50=$(awk '$1=="50%" {print $2}' "/tmp/wrk-$port.txt")
    p99=$(awk '$1=="99%" {print $2}' "/tmp/wrk-$port.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "/tmp/wrk-$port.txt")
    printf "%-44s %-6s %10s %10s %10s %s\n" "$path" "$port" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
  done
done
curl -s http://127.0.0.1:8101/health/; echo

#!/usr/bin/env bash
# The dashboard's browser check: run.sh MONKEY, with MONKEY_CODER_HOME and MONKEY_CODER_PORT naming the local daemon
# MONKEY talks to. Installs Debian's chromium when missing (as root), the pinned npm packages with `npm ci`, and,
# when PostgreSQL and Redis answer on loopback (MONKEY_TEST_PG_HOST/PORT/DB/USER and MONKEY_TEST_REDIS_URL as for
# the Java tests), starts a shared gateway in its own schema and Redis prefix for the second flow, with billing
# pointed at a fake Stripe (fake-stripe.mjs), sessions on (JWT_SECRET_KEY), a plans.json selling a pro plan, and
# one admin email.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
monkey=${1:?usage: run.sh MONKEY}
work=$(mktemp -d "${TMPDIR:-/tmp}/monkey-dashboard.XXXXXX")
gateway_pid=""
stripe_pid=""
schema=""
pg_host=${MONKEY_TEST_PG_HOST:-127.0.0.1}
pg_port=${MONKEY_TEST_PG_PORT:-5432}
pg_db=${MONKEY_TEST_PG_DB:-test}
pg_user=${MONKEY_TEST_PG_USER:-postgres}
redis_url=${MONKEY_TEST_REDIS_URL:-redis://127.0.0.1:6379}
redis_hostport=${redis_url#redis://}
redis_hostport=${redis_hostport%%/*}
redis_host=${redis_hostport%:*}
redis_port=${redis_hostport##*:}

cleanup() {
  if [ -n "$gateway_pid" ]; then kill "$gateway_pid" 2>/dev/null; wait "$gateway_pid" 2>/dev/null; fi
  if [ -n "$stripe_pid" ]; then kill "$stripe_pid" 2>/dev/null; wait "$stripe_pid" 2>/dev/null; fi
  if [ -n "$schema" ]; then
    psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
    redis "EVAL \"for _,k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1\" 0 $schema:*" >/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# One Redis command over bash's /dev/tcp (no redis-cli needed); prints the first line of the answer.
redis() {
  (exec 3<>"/dev/tcp/$redis_host/$redis_port" && printf '%s\r\n' "$1" >&3 && IFS= read -r -t 2 line <&3 && printf '%s\n' "$line") 2>/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y chromium >"$work/apt.txt" 2>&1 || { echo "dashboard: cannot install chromium"; tail -5 "$work/apt.txt"; exit 1; }
  else
    echo "dashboard: Debian's chromium is needed (sudo apt-get install chromium)"; exit 1
  fi
fi
(cd "$here" && npm ci --no-audit --no-fund --silent) || { echo "dashboard: npm ci failed in dashboard-check/"; exit 1; }

if command -v psql >/dev/null 2>&1 && psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -c 'SELECT 1' >/dev/null 2>&1 \
    && [ "$(redis PING | tr -d '\r')" = "+PONG" ]; then
  schema="dash_$(date +%s)_$RANDOM"
  psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -c "CREATE SCHEMA $schema" >/dev/null
  gport=$(( 20000 + RANDOM % 30000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$gport") 2>/dev/null; do gport=$(( gport + 1 )); done
  # Stripe's stand-in: its secret key and the webhook's signing secret are made up here, for this run only.
  stripe_key="sk_test_dash$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export STRIPE_WEBHOOK_SECRET="whsec_dash$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  node "$here/fake-stripe.mjs" "$stripe_key" >"$work/stripe.txt" 2>&1 &
  stripe_pid=$!
  for _ in $(seq 1 50); do grep -q '^port ' "$work/stripe.txt" 2>/dev/null && break; sleep 0.1; done
  sport=$(sed -n 's/^port //p' "$work/stripe.txt")
  export FAKE_STRIPE_URL="http://127.0.0.1:$sport" FAKE_STRIPE_KEY="$stripe_key"
  export DASHBOARD_ADMIN_EMAIL="admin-$schema@example.com"
  mkdir -p "$work/gateway-home/config"
  cat >"$work/gateway-home/config/plans.json" <<'PLANS'
{"plans": [
  {"name": "free", "description": "Try it: the free tier's limits", "price_usd": 0, "credits_usd_per_month": 0, "tier": "free"},
  {"name": "pro", "description": "For one developer: $20 of credits each month", "price_usd": 20, "credits_usd_per_month": 20, "tier": "pro", "stripe_price_id": "price_dashcheckpro"}
]}
PLANS
  DATABASE_URL="jdbc:postgresql://$pg_host:$pg_port/$pg_db?user=$pg_user&currentSchema=$schema" \
  REDIS_URL="redis://$redis_host:$redis_port" MONKEY_CODER_REDIS_PREFIX="$schema:" \
  MONKEY_CODER_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" MONKEY_CODER_HOST=127.0.0.1 \
  JWT_SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  STRIPE_SECRET_KEY="$stripe_key" STRIPE_API_BASE="$FAKE_STRIPE_URL" \
  MONKEY_CODER_BILLING_SUCCESS_URL="http://127.0.0.1:$gport/dashboard/#/credits" \
  MONKEY_CODER_BILLING_CANCEL_URL="http://127.0.0.1:$gport/dashboard/#/credits" \
  MONKEY_CODER_ADMIN_EMAILS="$DASHBOARD_ADMIN_EMAIL" \
  MONKEY_CODER_HOME="$work/gateway-home" \
    "$monkey" daemon run --mode gateway --port "$gport" >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$gport") 2>/dev/null; then break; fi
    sleep 0.5
  done
  export GATEWAY_URL="http://127.0.0.1:$gport"
else
  echo "dashboard: PostgreSQL or Redis not reachable on loopback: the shared-gateway flow is skipped"
fi

cd "$here" && MONKEY="$monkey" node check.mjs
code=$?
if [ "$code" != 0 ] && [ -n "$gateway_pid" ]; then
  echo "dashboard: the shared gateway's log (last lines):"; tail -20 "$work/gateway.log" | cut -c1-300
fi
exit "$code"

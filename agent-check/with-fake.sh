#!/usr/bin/env bash
# Starts the scripted fake upstream (fake-upstream.mjs) on a free loopback port, for a gateway to forward to.
#
#   agent-check/with-fake.sh COMMAND [ARGS...]   run COMMAND with the variables below exported, then stop the fake;
#                                                exits with COMMAND's status
#   eval "$(agent-check/with-fake.sh --env)"     start the fake in the background and print `export` lines;
#                                                stop it later with: kill "$FAKE_UPSTREAM_PID"
#
# Exported: FAKE_UPSTREAM_PORT, FAKE_UPSTREAM_PID, FAKE_UPSTREAM_LOG (its JSON-lines request log; set it beforehand
# to choose the file), AGENT_CHECK_FAKE_LOG (same file, read by run.sh), and for the gateway
# ANTHROPIC_BASE_URL=http://127.0.0.1:PORT, OPENAI_BASE_URL=http://127.0.0.1:PORT/v1,
# ANTHROPIC_API_KEY / OPENAI_API_KEY = fake keys (kept if already set).
#
# Example (the gateway started by COMMAND sees the fake):
#   agent-check/with-fake.sh sh -c 'start-gateway-with-these-env-vars && agent-check/run.sh http://127.0.0.1:8420 "$KEY"'
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LOG=${FAKE_UPSTREAM_LOG:-$(mktemp "${TMPDIR:-/tmp}/fake-upstream.XXXXXX.jsonl")}
OUT=$(mktemp "${TMPDIR:-/tmp}/fake-upstream.XXXXXX.out")
nohup node "$HERE/fake-upstream.mjs" --port 0 --log "$LOG" >"$OUT" 2>&1 </dev/null &
PID=$!
PORT=
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$OUT" | head -n 1)
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then echo "with-fake: the fake upstream did not start:" >&2; cat "$OUT" >&2; kill "$PID" 2>/dev/null; exit 2; fi
vars=(
  "FAKE_UPSTREAM_PORT=$PORT" "FAKE_UPSTREAM_PID=$PID" "FAKE_UPSTREAM_LOG=$LOG" "AGENT_CHECK_FAKE_LOG=$LOG"
  "ANTHROPIC_BASE_URL=http://127.0.0.1:$PORT" "OPENAI_BASE_URL=http://127.0.0.1:$PORT/v1"
  "ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY:-sk-ant-fake-upstream}" "OPENAI_API_KEY=${OPENAI_API_KEY:-sk-fake-upstream}"
)
if [ "${1:-}" = "--env" ]; then
  for v in "${vars[@]}"; do printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"; done
  exit 0
fi
if [ $# -eq 0 ]; then sed -n '2,/^set -eu/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -eu/d' >&2; kill "$PID"; exit 2; fi
trap 'kill "$PID" 2>/dev/null; rm -f "$OUT"' EXIT
for v in "${vars[@]}"; do export "${v?}"; done
set +e
"$@"

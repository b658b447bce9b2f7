#!/usr/bin/env bash
# Checks this harness itself, without the gateway: a 20-line router stands in for the gateway, sending
# /v1/messages to fake-upstream.mjs (so Claude Code talks to the fake directly) and /v1/responses to
# capture-responses.mjs (so Codex does), then run.sh runs its four cases through that router. All four must pass;
# if one fails here, the harness or a client changed, not the gateway.
#   agent-check/selftest.sh
# AGENT_CHECK_CAPTURE_DIR=DIR keeps what the clients sent: DIR/claude-code.jsonl (fake upstream's log) and
# DIR/codex.jsonl (capture-responses.mjs's log), one JSON line per request.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/agent-selftest.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
start() { # start NAME CMD... ; sets PORT
  local name=$1; shift
  "$@" >"$work/$name.out" 2>&1 </dev/null & pids+=($!)
  for _ in $(seq 1 100); do PORT=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$work/$name.out"); [ -n "$PORT" ] && return 0; sleep 0.1; done
  echo "selftest: $name did not start" >&2; cat "$work/$name.out" >&2; exit 2
}
start fake node "$HERE/fake-upstream.mjs" --port 0 --log "$work/fake.jsonl"; FAKE=$PORT
start capture node "$HERE/capture-responses.mjs" --port 0 --log "$work/capture.jsonl"; CAPTURE=$PORT
start router node --input-type=module -e "
import http from 'node:http';
const route = (url) => url.startsWith('/v1/responses') ? $CAPTURE : $FAKE;
const server = http.createServer((req, res) => {
  const up = http.request({ host: '127.0.0.1', port: route(req.url), path: req.url, method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode, r.headers); r.pipe(res);
  });
  up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
  req.pipe(up);
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));"
ROUTER=$PORT
rc=0
AGENT_CHECK_FAKE_LOG="$work/fake.jsonl" "$HERE/run.sh" "http://127.0.0.1:$ROUTER" mk-selftest || rc=$?
if [ -n "${AGENT_CHECK_CAPTURE_DIR:-}" ]; then
  mkdir -p "$AGENT_CHECK_CAPTURE_DIR"
  cp "$work/fake.jsonl" "$AGENT_CHECK_CAPTURE_DIR/claude-code.jsonl"; cp "$work/capture.jsonl" "$AGENT_CHECK_CAPTURE_DIR/codex.jsonl"
fi
exit $rc

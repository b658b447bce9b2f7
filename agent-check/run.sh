#!/usr/bin/env bash
# The real agent clients through a running gateway: Claude Code (`claude -p`, Anthropic Messages at
# GATEWAY_URL/v1/messages) and Codex CLI (`codex exec`, OpenAI Responses at GATEWAY_URL/v1/responses), each asked
# to create hello.txt, each model routed to the anthropic and to the openai provider:
#
#   claude-code anthropic/claude-sonnet-4-5    claude-code openai/gpt-4.1-mini
#   codex       openai/gpt-4.1-mini            codex       anthropic/claude-sonnet-4-5
#
# Usage:
#   agent-check/run.sh GATEWAY_URL GATEWAY_KEY        e.g. run.sh http://127.0.0.1:8420 mk-...
#
# The gateway must already run, with ANTHROPIC_BASE_URL=http://127.0.0.1:P and OPENAI_BASE_URL=http://127.0.0.1:P/v1
# (and any ANTHROPIC_API_KEY / OPENAI_API_KEY) pointing at the scripted fake upstream, fake-upstream.mjs. To start
# that fake and get its port:  eval "$(agent-check/with-fake.sh --env)"  (see with-fake.sh), or
#   node agent-check/fake-upstream.mjs --port 0 --log /tmp/fake.log    # first stdout line: "listening PORT"
# The fake answers the first turn with one tool call writing hello.txt, the turn carrying the tool result with
# "done: wrote hello.txt". A case passes when the client exits 0 within the timeout and
# WORKDIR/hello.txt holds "hello from monkey" (one trailing newline allowed).
#
# Each case runs in a fresh temporary work dir with its own HOME (and CODEX_HOME), the environment emptied
# (env -i) but for PATH, and every client switch that would reach the internet turned off.
# Installs the pinned clients (npm ci) when node_modules is missing.
#
# Environment (all optional):
#   AGENT_CHECK_TIMEOUT=120        seconds per case
#   AGENT_CHECK_ONLY=REGEX         run only the cases whose name matches (grep -E), e.g. 'codex'
#   AGENT_CHECK_KEEP=1             keep the temp dirs (their paths are printed)
#   AGENT_CHECK_FAKE_LOG=FILE      the fake's --log file: on failure, print what reached the upstream
#   AGENT_CHECK_ANTHROPIC_MODEL / AGENT_CHECK_OPENAI_MODEL   model names (default anthropic/claude-sonnet-4-5,
#                                  openai/gpt-4.1-mini)
# Output: one "agents: ok   NAME" or "agents: FAIL NAME: reason" (then the client's output tail) per case, and
# "agents: N passed, M failed" last; exit 1 on any failure, 2 on bad usage or missing clients.
set -u

if [ $# -ne 2 ]; then
  sed -n '2,/^set -u/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -u/d' >&2
  exit 2
fi
GATEWAY_URL=${1%/}
GATEWAY_URL=${GATEWAY_URL%/v1}
GATEWAY_KEY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${AGENT_CHECK_TIMEOUT:-120}
ONLY=${AGENT_CHECK_ONLY:-}
ANTHROPIC_MODEL=${AGENT_CHECK_ANTHROPIC_MODEL:-anthropic/claude-sonnet-4-5}
OPENAI_MODEL=${AGENT_CHECK_OPENAI_MODEL:-openai/gpt-4.1-mini}
FAKE_LOG=${AGENT_CHECK_FAKE_LOG:-}
EXPECTED='hello from monkey'

if [ ! -d "$HERE/node_modules/@openai/codex" ] || [ ! -d "$HERE/node_modules/@anthropic-ai/claude-code" ]; then
  echo "agents: installing the pinned clients (npm ci in $HERE)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --silent) >&2 || { echo "agents: npm ci failed" >&2; exit 2; }
fi

# Claude Code: the npm package's bin is the native binary once its postinstall ran; cli-wrapper.cjs finds the
# platform package's binary when it did not.
CLAUDE=("$HERE/node_modules/.bin/claude")
if ! "${CLAUDE[@]}" --version >/dev/null 2>&1; then
  CLAUDE=(node "$HERE/node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs")
  "${CLAUDE[@]}" --version >/dev/null 2>&1 || { echo "agents: cannot run Claude Code from $HERE/node_modules" >&2; exit 2; }
fi
CODEX=("$HERE/node_modules/.bin/codex")
"${CODEX[@]}" --version >/dev/null 2>&1 || { echo "agents: cannot run Codex from $HERE/node_modules" >&2; exit 2; }
NODE_DIR=$(dirname "$(command -v node)")
BASE_PATH="$NODE_DIR:/usr/local/bin:/usr/bin:/bin"

passed=0
failed=0

fake_lines() { if [ -n "$FAKE_LOG" ] && [ -f "$FAKE_LOG" ]; then wc -l <"$FAKE_LOG"; else echo 0; fi; }

# upstream_summary FROM_LINE: one line per request the fake got since FROM_LINE
upstream_summary() {
  [ -n "$FAKE_LOG" ] && [ -f "$FAKE_LOG" ] || return 0
  tail -n +"$(( $1 + 1 ))" "$FAKE_LOG" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const lines = s.split("\n").filter(Boolean);
      if (!lines.length) console.log("    upstream: no request reached the fake");
      for (const l of lines) {
        const r = JSON.parse(l); const b = r.body || {};
        const msgs = b.messages || b.input || []; const last = msgs[msgs.length - 1] || {};
        const parts = Array.isArray(last.content) ? last.content.map((c) => c.type).join("+") : last.type || typeof last.content;
        const tools = (b.tools || []).map((t) => t.name || (t.function && t.function.name) || t.type).join(",");
        console.log(`    upstream: ${r.method} ${r.path} model=${b.model} stream=${!!b.stream} messages=${msgs.length} last=${last.role || "-"}:${parts} tools=[${tools}]`);
      }
    });'
}

# check NAME DIR RC : judge one finished case
check() {
  local name=$1 dir=$2 rc=$3 reason=""
  local file="$dir/wd/hello.txt"
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then reason="timed out after ${TIMEOUT}s"
  elif [ "$rc" != 0 ]; then reason="exit code $rc"
  elif [ ! -f "$file" ]; then reason="hello.txt was not created"
  else
    local content
    content=$(cat "$file"; printf x); content=${content%x}; content=${content%$'\n'}
    [ "$content" = "$EXPECTED" ] || reason="hello.txt holds $(printf %q "$content")"
  fi
  if [ -z "$reason" ]; then
    passed=$((passed + 1)); echo "agents: ok   $name"
  else
    failed=$((failed + 1)); echo "agents: FAIL $name: $reason"
    tail -n 25 "$dir/out.txt" | sed 's/^/    | /'
    upstream_summary "$4"
  fi
  if [ "${AGENT_CHECK_KEEP:-}" = 1 ]; then echo "    kept: $dir"; else rm -rf "$dir"; fi
}

prompt_for() { echo "Create the file hello.txt containing the text 'hello from monkey' in the current directory (workdir: $1)."; }

claude_case() {
  local model=$1 name="claude-code $1"
  [ -n "$ONLY" ] && ! grep -qE "$ONLY" <<<"$name" && return 0
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/agent-check.XXXXXX"); mkdir -p "$dir/home" "$dir/wd"
  local from; from=$(fake_lines)
  (cd "$dir/wd" && env -i PATH="$BASE_PATH" HOME="$dir/home" TERM=dumb LANG=C.UTF-8 \
      ANTHROPIC_BASE_URL="$GATEWAY_URL" ANTHROPIC_API_KEY="$GATEWAY_KEY" \
      ANTHROPIC_DEFAULT_HAIKU_MODEL="$model" ANTHROPIC_SMALL_FAST_MODEL="$model" \
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
      DISABLE_ERROR_REPORTING=1 DISABLE_BUG_COMMAND=1 CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY=1 \
      timeout -k 5 "$TIMEOUT" "${CLAUDE[@]}" -p "$(prompt_for "$dir/wd")" --model "$model" \
        --allowedTools Write --permission-mode acceptEdits --output-format text \
      </dev/null >"$dir/out.txt" 2>&1)
  check "$name" "$dir" $? "$from"
}

codex_case() {
  local model=$1 name="codex $1"
  [ -n "$ONLY" ] && ! grep -qE "$ONLY" <<<"$name" && return 0
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/agent-check.XXXXXX"); mkdir -p "$dir/home" "$dir/codex" "$dir/wd"
  # top-level keys must come before the first [table]
  cat >"$dir/codex/config.toml" <<EOF
model = "$model"
model_provider = "monkey"
check_for_update_on_startup = false

[model_providers.monkey]
name = "Monkey Coder"
base_url = "$GATEWAY_URL/v1"
env_key = "MONKEY_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
stream_idle_timeout_ms = 60000

[analytics]
enabled = false

[features]
plugins = false
EOF
  local from; from=$(fake_lines)
  (cd "$dir/wd" && env -i PATH="$BASE_PATH" HOME="$dir/home" CODEX_HOME="$dir/codex" TERM=dumb LANG=C.UTF-8 \
      MONKEY_API_KEY="$GATEWAY_KEY" \
      timeout -k 5 "$TIMEOUT" "${CODEX[@]}" exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox \
        --color never "$(prompt_for "$dir/wd")" \
      </dev/null >"$dir/out.txt" 2>&1)
  check "$name" "$dir" $? "$from"
}

claude_case "$ANTHROPIC_MODEL"
claude_case "$OPENAI_MODEL"
codex_case "$OPENAI_MODEL"
codex_case "$ANTHROPIC_MODEL"

echo "agents: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

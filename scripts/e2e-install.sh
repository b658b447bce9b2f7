#!/usr/bin/env bash
# End to end as a new user: install.sh on a clean copy of the tree into a temporary prefix, then the
# installed `monkey` against its own auto-started daemon, in a temporary MONKEY_CODER_HOME.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/monkey-e2e.XXXXXX")
passed=0
failed=0

cleanup() {
  if [ -x "$work/prefix/bin/monkey" ]; then
    "$work/prefix/bin/monkey" daemon stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

check() { # name, then a command that must succeed
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "e2e: ok   $name"
  else
    failed=$((failed + 1))
    echo "e2e: FAIL $name"
  fi
}

# A clean copy: the files git tracks or would track, as they are in the work tree, no build output.
mkdir -p "$work/src"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 tar cf -) | (cd "$work/src" && tar xf -)
else
  (cd "$root" && tar cf - --exclude=target .) | (cd "$work/src" && tar xf -)
fi

echo "e2e: installing from a clean copy into $work/prefix"
if ! PREFIX="$work/prefix" "$work/src/install.sh"; then
  echo "e2e: FAIL install.sh"
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi
monkey="$work/prefix/bin/monkey"

# Its own home and a free port, and no provider keys: only the offline demo can answer.
export MONKEY_CODER_HOME="$work/home"
port=$(( 20000 + RANDOM % 30000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
export MONKEY_CODER_PORT=$port
unset MONKEY_CODER_BASE_URL MONKEY_CODER_API_KEY MONKEY_CODER_LOCAL_KEY OPENAI_API_KEY ANTHROPIC_API_KEY \
  GOOGLE_API_KEY GEMINI_API_KEY GROQ_API_KEY XAI_API_KEY GROK_API_KEY PERPLEXITY_API_KEY MOONSHOT_API_KEY \
  OPENROUTER_API_KEY OLLAMA_HOST OLLAMA_BASE_URL

check "monkey --version names the product" bash -c "'$monkey' --version | grep -q '^monkey '"
check "bash and fish completions are installed" test -s "$work/prefix/share/bash-completion/completions/monkey" \
  -a -s "$work/prefix/share/fish/vendor_completions.d/monkey.fish" -a -s "$work/prefix/share/monkey-coder/completions/monkey.zsh"
check "the manual page is installed" test -s "$work/prefix/share/man/man1/monkey.1"
check "the installed completion is what the installed monkey prints" \
  bash -c "'$monkey' completion bash | cmp -s - '$work/prefix/share/bash-completion/completions/monkey'"

"$monkey" implement --provider demo "create a REST API" >"$work/out.txt" 2>"$work/err.txt"
code=$?
check "implement --provider demo exits 0" test "$code" = 0
check "implement streams the demo's answer" grep -q "Monkey Coder offline demo" "$work/out.txt"
check "the daemon was started on first use" grep -q "started the local daemon on port $port" "$work/err.txt"
check "the local key was written with mode 0600" bash -c "[ \"\$(stat -c %a '$work/home/state/local.key')\" = 600 ]"

"$monkey" implement "create a REST API" >"$work/out2.txt" 2>"$work/err2.txt"
code=$?
check "implement with no provider configured exits 3" test "$code" = 3
check "and names the env vars to set" grep -q "OPENAI_API_KEY" "$work/err2.txt"

check "usage shows the demo request" bash -c "'$monkey' usage | grep -q 'demo/monkey-demo'"

# The JVM options each process runs with (read from /proc/PID/cmdline): the daemon 'monkey daemon start' spawned,
# and 'monkey daemon run' in the foreground through the installed launcher, get the daemon's options (the server
# compiler, a 128 MB heap, the serial collector), never the CLI's C1-only ones.
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }
daemon_options_ok() { # pid
  local c
  c=$(cmdline "$1")
  case "$c" in *-Xmx128m*) ;; *) echo "e2e: pid $1 runs: $c" >&2; return 1 ;; esac
  case "$c" in *TieredStopAtLevel*) echo "e2e: pid $1 runs: $c" >&2; return 1 ;; esac
  case "$c" in *-XX:+UseSerialGC*) return 0 ;; *) echo "e2e: pid $1 runs: $c" >&2; return 1 ;; esac
}
if [ -d /proc/self ]; then
  check "the daemon 'daemon start' spawned runs with the daemon's JVM options" \
    daemon_options_ok "$(cat "$work/home/state/daemon.pid")"
  run_port=$((port + 1))
  while (exec 3<>"/dev/tcp/127.0.0.1/$run_port") 2>/dev/null; do run_port=$((run_port + 1)); done
  MONKEY_CODER_HOME="$work/home-run" "$monkey" daemon run --port "$run_port" >"$work/run.txt" 2>&1 &
  run_pid=$!
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$run_port") 2>/dev/null && break
    sleep 0.1
  done
  check "'monkey daemon run' (the installed launcher) runs with the daemon's JVM options" daemon_options_ok "$run_pid"
  kill "$run_pid" 2>/dev/null
  wait "$run_pid" 2>/dev/null
  # Every line the daemon writes is one JSON object, and the JVM's sun.misc.Unsafe warnings stay out (JDK 23+).
  check "'monkey daemon run' writes only JSON lines, no JVM warning" \
    bash -c "test -s '$work/run.txt' && ! grep -q 'sun.misc.Unsafe' '$work/run.txt' && ! grep -qv '^{' '$work/run.txt'"
  check "the daemon 'daemon start' spawned logs only JSON lines, no JVM warning" \
    bash -c "! grep -q 'sun.misc.Unsafe' '$work/home/state/daemon.log' && ! grep -qv '^{' '$work/home/state/daemon.log'"
fi

# The start-up cache install.sh built from its training run: used, and silent when it does not match.
check "install.sh built the start-up cache" bash -c "ls '$work/prefix/share/monkey-coder/aot/' | grep -q '\\.aot\$\\|\\.jsa\$'"
check "models --json through the cache prints nothing on stderr" \
  bash -c "'$monkey' models --json 2>'$work/models-err.txt' >/dev/null && test ! -s '$work/models-err.txt'"
touch "$work/prefix/share/monkey-coder/lib/"monkey-cli-*.jar # the cache no longer matches the jar
check "a cache that no longer matches is skipped without a word" \
  bash -c "'$monkey' models --json 2>'$work/stale-err.txt' >/dev/null && test ! -s '$work/stale-err.txt'"

# The official OpenAI and Anthropic SDKs against the same daemon, only their base URL changed.
if command -v npm >/dev/null 2>&1 && (cd "$work/src/sdk-check" && npm ci --no-audit --no-fund --silent >"$work/npm.txt" 2>&1); then
  MONKEY_BASE="http://127.0.0.1:$port" MONKEY_KEY="$(cat "$work/home/state/local.key")" \
    node "$work/src/sdk-check/check.mjs" >"$work/sdk.txt" 2>&1
  code=$?
  cat "$work/sdk.txt" | grep -v "passed, .* failed" | sed 's/^sdk: /e2e: sdk /'
  check "the official OpenAI and Anthropic SDKs work against the gateway" test "$code" = 0
else
  cat "$work/npm.txt" 2>/dev/null | tail -5
  check "npm installs the SDK check (sdk-check/)" false
fi
# The web dashboard in headless Chromium (dashboard-check/run.sh): `monkey dashboard --print`'s link, the pages
# against the API's numbers, CSRF, cross-site and XSS refusals, the CSP, axe-core, screenshots at 375 and 1440 px
# (kept in target/dashboard-screens/), and a shared gateway's sign-in, keys and audit log when PostgreSQL and Redis
# answer on loopback.
if command -v npm >/dev/null 2>&1; then
  DASHBOARD_SCREENS="$root/target/dashboard-screens" "$work/src/dashboard-check/run.sh" "$monkey" >"$work/dashboard.txt" 2>&1
  code=$?
  grep -v "passed, .* failed" "$work/dashboard.txt" | sed 's/^dashboard: /e2e: dashboard /'
  check "the web dashboard works in headless Chromium (sign-in, pages, CSRF, XSS, CSP, accessibility)" test "$code" = 0
else
  check "npm runs the dashboard check (dashboard-check/)" false
fi
# Tools, images and the real agent clients: the daemon again, its openai and anthropic providers pointed at the
# scripted fake upstream (agent-check/fake-upstream.mjs), which answers a first turn with a tool call.
"$monkey" daemon stop >/dev/null 2>&1
if eval "$("$work/src/agent-check/with-fake.sh" --env)"; then
  "$monkey" daemon start >/dev/null 2>"$work/start2.txt"
  key="$(cat "$work/home/state/local.key")"
  if [ -d "$work/src/sdk-check/node_modules" ]; then
    MONKEY_BASE="http://127.0.0.1:$port" MONKEY_KEY="$key" node "$work/src/sdk-check/tools.mjs" >"$work/sdk-tools.txt" 2>&1
    code=$?
    grep -v "passed, .* failed" "$work/sdk-tools.txt" | sed 's/^sdk: /e2e: sdk /'
    check "the official SDKs carry tools and images through the gateway" test "$code" = 0
  fi
  "$work/src/agent-check/run.sh" "http://127.0.0.1:$port" "$key" >"$work/agents.txt" 2>&1
  code=$?
  grep -v "passed, .* failed" "$work/agents.txt" | sed 's/^agents: /e2e: agents /'
  check "Claude Code and Codex CLI complete a tool-using task through the gateway" test "$code" = 0
  kill "$FAKE_UPSTREAM_PID" 2>/dev/null
  unset ANTHROPIC_BASE_URL OPENAI_BASE_URL ANTHROPIC_API_KEY OPENAI_API_KEY
else
  check "the fake upstream starts (agent-check/with-fake.sh)" false
fi
check "daemon status says it runs" "$monkey" daemon status
check "daemon stop stops it" bash -c "'$monkey' daemon stop | grep -q 'stopped'"
check "daemon status then exits 3" bash -c "'$monkey' daemon status >/dev/null; test \$? = 3"

if [ "$failed" -gt 0 ]; then
  echo "--- stdout of the demo run:"; cat "$work/out.txt"
  echo "--- stderr of the demo run:"; cat "$work/err.txt"
  echo "--- daemon log:"; cat "$work/home/state/daemon.log" 2>/dev/null
fi
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

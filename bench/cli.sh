#!/usr/bin/env bash
# The CLI table of the benchmark (issue 12): whole-process wall time of the installed `monkey` beside a bare JVM
# hello world and curl for the same request, all in one run, commands in turn (A B C A B C ...) so that a machine
# that slows down mid-run slows every row alike. Hyperfine-style: one warm-up round, then N rounds; median, min, max.
#   bench/cli.sh [--runs N] [--out DIR]     (called by bench/run.sh; default 15 runs, report in bench/results)
# Installs the tree into a temporary prefix with install.sh (so the launcher, class path and start-up cache are
# what users get), starts its daemon in a temporary MONKEY_CODER_HOME with MONKEY_CODER_DEMO_DELAY_MS=0, and
# appends a "CLI start and round trip" section to DIR/report.md (writes DIR/cli.md too).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh

RUNS=15
OUT=bench/results
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="${2:?--runs needs a number}"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/cli.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

JAVA=$(find_java21) || { no_java21_message; exit 1; }
JAVA_HOME=$(cd "$(dirname "$JAVA")/.." && pwd -P)
export JAVA_HOME

work=$(mktemp -d "${TMPDIR:-/tmp}/monkey-clibench.XXXXXX")
monkey="$work/prefix/bin/monkey"
cleanup() {
  [ -x "$monkey" ] && "$monkey" daemon stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: cli: installing into $work/prefix" >&2
PREFIX="$work/prefix" ./install.sh >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }

mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  >"$work/hello/Hello.java"
"$JAVA_HOME/bin/javac" -d "$work/hello" "$work/hello/Hello.java"

export MONKEY_CODER_HOME="$work/home" MONKEY_CODER_DEMO_DELAY_MS=0
unset MONKEY_CODER_BASE_URL MONKEY_CODER_API_KEY MONKEY_CODER_LOCAL_KEY MONKEY_CODER_JAVA MONKEY_CODER_AOT
port=$(( 20000 + RANDOM % 30000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
export MONKEY_CODER_PORT=$port

now_us() { local t; t=$(date +%s%N); echo $(( t / 1000 )); } # microseconds
# run NAME CMD... : one timed run, appended to $work/t.NAME (microseconds); output thrown away, exit code kept
run() {
  local name=$1 t0 t1 code
  shift
  t0=$(now_us)
  "$@" >/dev/null 2>>"$work/err.$name" && code=0 || code=$?
  t1=$(now_us)
  echo $(( t1 - t0 )) >>"$work/t.$name"
  [ "$code" = 0 ] || echo "$code" >>"$work/fail.$name"
}
stats() { # NAME -> "median min max n" in ms
  sort -n "$work/t.$1" | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
    printf "%.1f %.1f %.1f %d\n", m/1000, v[1]/1000, v[NR]/1000, NR}'
}

# daemon start, from nothing to /health (the command returns once /health answers); then the daemon stays warm
daemon_rounds=$(( RUNS < 5 ? RUNS : 5 ))
echo "bench: cli: monkey daemon start, $daemon_rounds runs" >&2
for i in $(seq 1 "$daemon_rounds"); do
  "$monkey" daemon stop >/dev/null 2>&1 || true
  run daemon_start "$monkey" daemon start
done
"$monkey" daemon status >/dev/null || { echo "bench: cli: the daemon did not start" >&2; cat "$work/home/state/daemon.log" >&2; exit 1; }
key=$(cat "$work/home/state/local.key")
base="http://127.0.0.1:$port"
body='{"task_type":"code_generation","prompt":"create a REST API","persona":"developer","preferred_providers":["demo"],"stream":false}'
have_curl=0
command -v curl >/dev/null 2>&1 && have_curl=1

round() {
  run hello "$JAVA_HOME/bin/java" -cp "$work/hello" Hello
  run version "$monkey" --version
  run models "$monkey" models --json
  run implement "$monkey" implement --provider demo --no-stream "create a REST API"
  if [ "$have_curl" = 1 ]; then
    run curl_models curl -sf -H "Authorization: Bearer $key" "$base/v1/models"
    run curl_implement curl -sf -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
      -d "$body" "$base/v1/execute"
  fi
}
echo "bench: cli: $RUNS rounds of hello world, --version, models --json, implement (and curl) in turn" >&2
round
for name in hello version models implement curl_models curl_implement; do
  rm -f "$work/t.$name" "$work/fail.$name" # the warm-up round
done
for i in $(seq 1 "$RUNS"); do round; done

row() { # label NAME [ratio-to NAME...]
  local label=$1 name=$2 s med min max n ratios="" r
  shift 2
  s=$(stats "$name"); read -r med min max n <<<"$s"
  for r in "$@"; do
    if [ -f "$work/t.$r" ]; then
      ratios="$ratios | $(awk -v a="$med" -v b="$(stats "$r" | cut -d' ' -f1)" 'BEGIN {printf "%.1f×", a/b}')"
    else
      ratios="$ratios | –"
    fi
  done
  local fails=0
  [ -f "$work/fail.$name" ] && fails=$(wc -l <"$work/fail.$name")
  echo "| $label | $med | $min | $max | $n | $fails$ratios |"
}
hello_med=$(stats hello | cut -d' ' -f1)
{
  echo
  echo "## CLI start and round trip"
  echo
  echo "Run on $(date -u '+%Y-%m-%d (%H:%M UTC)'), $(nproc) cores."
  echo "Whole-process wall time in ms, $RUNS runs each after one warm-up round, the commands in turn; the installed"
  echo "launcher (\`install.sh\` into a temporary prefix: its class path and start-up cache), a warm local daemon with"
  echo "\`MONKEY_CODER_DEMO_DELAY_MS=0\`; hello world is a bare JVM (\`$("$JAVA" -version 2>&1 | head -n 1)\`) printing"
  echo "one line; curl sends the same request as the command. \`daemon start\` is timed from nothing to its return,"
  echo "which is when \`/health\` answers ($daemon_rounds runs)."
  echo
  echo "| command | median | min | max | runs | failed | × hello world | × curl |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  row "JVM hello world" hello hello
  row "\`monkey --version\`" version hello
  if [ "$have_curl" = 1 ]; then
    row "curl GET /v1/models" curl_models hello curl_models
    row "\`monkey models --json\`" models hello curl_models
    row "curl POST /v1/execute (demo)" curl_implement hello curl_implement
    row "\`monkey implement --provider demo --no-stream\`" implement hello curl_implement
  else
    row "\`monkey models --json\`" models hello
    row "\`monkey implement --provider demo --no-stream\`" implement hello
  fi
  row "\`monkey daemon start\` to /health" daemon_start hello
  echo
  v=$(stats version | cut -d' ' -f1); m=$(stats models | cut -d' ' -f1); im=$(stats implement | cut -d' ' -f1)
  d=$(stats daemon_start | cut -d' ' -f1)
  verdict() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b) ? "met" : "missed"}'; }
  worst=$(awk -v a="$m" -v b="$im" 'BEGIN {print (a > b) ? a : b}')
  echo "Targets: \`--version\` ≤ 2× hello world: $(verdict "$v" "$(awk -v h="$hello_med" 'BEGIN {print 2*h}')")" \
    "($(awk -v a="$v" -v h="$hello_med" 'BEGIN {printf "%.1f×", a/h}')); a command against the warm daemon ≤ 3×:" \
    "$(verdict "$worst" "$(awk -v h="$hello_med" 'BEGIN {print 3*h}')")" \
    "($(awk -v a="$worst" -v h="$hello_med" 'BEGIN {printf "%.1f×", a/h}')); \`daemon start\` ≤ 1,500 ms:" \
    "$(verdict "$d" 1500) ($d ms)."
} >"$work/cli.md"
mkdir -p "$OUT"
cp "$work/cli.md" "$OUT/cli.md"
cat "$work/cli.md" >>"$OUT/report.md"
cat "$work/cli.md"

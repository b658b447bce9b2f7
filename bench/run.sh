#!/usr/bin/env bash
# The gateway benchmark. One command:
#   ./bench/run.sh            build, then measure direct vs Monkey Coder in both launch modes (`monkey daemon start`
#                             and `monkey daemon run`, through an installed launcher) vs the Portkey gateway
#   ./bench/run.sh --quick    shorter runs, rougher numbers (about a minute and a half)
#   ./bench/run.sh --no-peer  without the Portkey gateway
#   ./bench/run.sh --gateway-java-opts "-XX:+UseSerialGC -Xmx256m"   other JVM options for the gateway than its defaults
#   ./bench/run.sh --gateway-env "MALLOC_ARENA_MAX=2"   environment variables for the gateway
#   ./bench/run.sh --only c32,open1000   some scenarios only: c1 c32 cache1 cache32 r500 r2000 stream50 open1000 failover soak
#   ./bench/run.sh --only soak --soak-seconds 120   the soak (not in the default run): a steady 500 req/s
#                             (--soak-rate R) for 600 s by default, RSS and p99 of the first minute against the last
#   ./bench/run.sh --out DIR  write the report elsewhere (default bench/results)
#   ./bench/run.sh --no-cli   without the CLI table;  --cli-only  only the CLI table (bench/cli.sh, appended)
# Writes bench/results/report.md and bench/results/latency.svg. Needs a JDK 21+ and Maven; the peer needs node and npm.
# Not part of `mvn verify` or CI: it starts servers, loads the machine and takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh

EXTRA=()
OUT=bench/results
PEER=1
CLI=1
CLI_ONLY=0
CLI_RUNS=15
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) EXTRA+=(--quick); CLI_RUNS=5 ;;
    --no-cli) CLI=0 ;;
    --cli-only) CLI_ONLY=1 ;;
    --no-peer) PEER=0 ;;
    --gateway-java-opts) EXTRA+=(--gateway-java-opts "${2:?--gateway-java-opts needs a value}"); shift ;;
    --gateway-env) EXTRA+=(--gateway-env "${2:?--gateway-env needs NAME=VALUE}"); shift ;;
    --only) EXTRA+=(--only "${2:?--only needs scenario ids}"); shift ;;
    --soak-seconds) EXTRA+=(--soak-seconds "${2:?--soak-seconds needs a number}"); shift ;;
    --soak-rate) EXTRA+=(--soak-rate "${2:?--soak-rate needs requests per second}"); shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if ! JAVA=$(find_java21); then
  no_java21_message
  exit 1
fi
JAVA_HOME=$(cd "$(dirname "$JAVA")/.." && pwd -P)
export JAVA_HOME

echo "bench: building the distribution and the bench (no tests) with $("$JAVA" -version 2>&1 | head -n 1)" >&2
mvn -q -B -DskipTests package -pl packaging,bench -am

PORTKEY_VERSION=1.15.2
PORTKEY=bench/.peer/node_modules/@portkey-ai/gateway/build/start-server.js
PEER_ARGS=()
if [ "$PEER" = 0 ]; then
  PEER_ARGS=(--portkey-why "--no-peer was given")
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PEER_ARGS=(--portkey-why "node and npm are not installed")
else
  if [ ! -f "$PORTKEY" ]; then
    echo "bench: installing @portkey-ai/gateway@$PORTKEY_VERSION into bench/.peer with npm" >&2
    mkdir -p bench/.peer
    (cd bench/.peer && npm install --no-audit --no-fund --silent "@portkey-ai/gateway@$PORTKEY_VERSION" >/dev/null 2>&1) || true
  fi
  if [ -f "$PORTKEY" ]; then
    PEER_ARGS=(--portkey "$PORTKEY")
  else
    PEER_ARGS=(--portkey-why "npm could not install @portkey-ai/gateway@$PORTKEY_VERSION (offline?)")
  fi
fi

CP="bench/target/classes:bench/target/lib/*"
if [ "$CLI_ONLY" = 0 ]; then
  # Both launch modes through the launcher users get: install.sh into a temporary prefix (class path, JVM options
  # chosen by subcommand, start-up caches), then `monkey daemon start` and `monkey daemon run` from it.
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/monkey-bench-prefix.XXXXXX")
  trap 'rm -rf "$prefix"' EXIT
  echo "bench: installing into $prefix (both launch modes run from it)" >&2
  if ! PREFIX="$prefix" ./install.sh >"$prefix/install.log" 2>&1; then
    cat "$prefix/install.log" >&2
    exit 1
  fi
  "$JAVA" -cp "$CP" com.monkeycoder.bench.BenchRunner --dist packaging/target/monkey-coder/lib \
    --launcher "$prefix/bin/monkey" --bench-cp "$CP" --out "$OUT" "${EXTRA[@]}" "${PEER_ARGS[@]}"
fi
# The CLI table, after the gateway's scenarios (nothing else loads the machine then), appended to report.md.
if [ "$CLI" = 1 ]; then
  bench/cli.sh --runs "$CLI_RUNS" --out "$OUT"
fi

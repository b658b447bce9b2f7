#!/usr/bin/env bash
# Builds Monkey Coder and installs the `monkey` command into $PREFIX/bin (default ~/.local).
# No root needed; safe to run again (it replaces the previous install).
#   ./install.sh                 build and install into ~/.local
#   PREFIX=/opt/mc ./install.sh  install elsewhere
# Also installs shell completions for bash, zsh and fish (see the messages at the end).
set -euo pipefail

cd "$(dirname "$0")"
. scripts/find-java.sh

PREFIX="${PREFIX:-$HOME/.local}"

if ! JAVA=$(find_java21); then
  no_java21_message
  exit 1
fi
JAVA_HOME=$(cd "$(dirname "$JAVA")/.." && pwd -P)
export JAVA_HOME

if ! command -v mvn >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: installing Maven with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq maven >/dev/null
  else
    echo "install.sh: Maven (mvn) is needed to build: install it (e.g. 'sudo apt-get install maven') and run this again" >&2
    exit 1
  fi
fi

echo "install.sh: building with $("$JAVA" -version 2>&1 | head -n 1) ..." >&2
mvn -B -q -DskipTests package

DIST=packaging/target/monkey-coder
SHARE="$PREFIX/share/monkey-coder"
BIN="$PREFIX/bin"
mkdir -p "$BIN" "$PREFIX/share"

# Replace the previous install in one step: build the new one beside it, then swap.
rm -rf "$SHARE.new"
mkdir -p "$SHARE.new"
cp -R "$DIST/lib" "$SHARE.new/lib"
# Shell completion scripts (generated from the command definitions; a test keeps completions/ up to date).
cp -R completions "$SHARE.new/completions"
rm -rf "$SHARE.old"
[ -d "$SHARE" ] && mv "$SHARE" "$SHARE.old"
mv "$SHARE.new" "$SHARE"
rm -rf "$SHARE.old"

# The JDK's ahead-of-time cache for the CLI (JDK 25+: -XX:AOTCacheOutput/-XX:AOTCache; JDK 21-24: AppCDS): the
# classes the common commands load, already parsed and linked, from a training run (AotTraining: --version,
# --help, models, implement and daemon status against a canned loopback daemon; no network). Its name carries the
# JDK's version and the jars' checksum, so a new JDK or new jars mean a new name; the launcher only uses the file
# it was written with, and the JVM checks the rest itself (it falls back to loading the classes, silently).
# Two class paths. A CLI run gets only the CLI's jars (cli/target/runtime-classpath.txt, written by the build):
# the JVM opens every jar of its class path at start-up, and with all 59 that cost 'monkey --version' about 25 ms.
# The gateway ('daemon run', and what 'daemon start' spawns, told by -Dmonkey.gateway.classpath) gets them all.
CLI_CP=""
for jar in "$SHARE"/lib/monkey-cli-*.jar $(tr ':' '\n' < cli/target/runtime-classpath.txt 2>/dev/null); do
  jar="$SHARE/lib/$(basename "$jar")"
  if [ -f "$jar" ]; then CLI_CP="$CLI_CP${CLI_CP:+:}$jar"; fi
done
GATEWAY_CP="$CLI_CP"
for jar in "$SHARE"/lib/*.jar; do
  case ":$GATEWAY_CP:" in *":$jar:"*) ;; *) GATEWAY_CP="$GATEWAY_CP${GATEWAY_CP:+:}$jar" ;; esac
done
[ -f cli/target/runtime-classpath.txt ] || CLI_CP="$GATEWAY_CP"
JAVA_MAJOR=$(java_major "$JAVA")
JAVA_RELEASE=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_')
[ -n "$JAVA_RELEASE" ] || JAVA_RELEASE="$JAVA_MAJOR"
JARS_SUM=$(cat "$SHARE"/lib/*.jar | cksum | cut -d' ' -f1)
CLI_OPTS="-XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED"
mkdir -p "$SHARE/aot"
if [ "${JAVA_MAJOR:-0}" -ge 25 ] 2>/dev/null; then
  AOT_FILE="$SHARE/aot/monkey-jdk$JAVA_RELEASE-$JARS_SUM.aot"
  AOT_TRAIN="-XX:AOTCacheOutput=$AOT_FILE"
  AOT_USE="-XX:AOTCache=$AOT_FILE"
  AOT_QUIET="-Xlog:aot=off -Xlog:cds=off"
else
  AOT_FILE="$SHARE/aot/monkey-jdk$JAVA_RELEASE-$JARS_SUM.jsa"
  AOT_TRAIN="-XX:ArchiveClassesAtExit=$AOT_FILE"
  AOT_USE="-XX:SharedArchiveFile=$AOT_FILE"
  AOT_QUIET="-Xlog:cds=off" # JDK 21-24 know no 'aot' log tag
fi
# Never fails the install: without the file the launcher runs as before.
# shellcheck disable=SC2086
if "$JAVA" $CLI_OPTS $AOT_TRAIN $AOT_QUIET -cp "$CLI_CP" com.monkeycoder.cli.AotTraining \
    >"$SHARE/aot/training.log" 2>&1 && [ -s "$AOT_FILE" ]; then
  echo "install.sh: start-up cache built ($(du -k "$AOT_FILE" | cut -f1) KB)" >&2
else
  rm -f "$AOT_FILE"
  echo "install.sh: no start-up cache (the CLI works without it, starting slower); see $SHARE/aot/training.log" >&2
fi

DAEMON_JAVA_OPTS_DEFAULT="-XX:+UseSerialGC -Xmx128m"
# JBoss Threads (under Undertow) reads a field offset through sun.misc.Unsafe as it loads, and JDK 24+ warns of it
# in four lines on every start. JDK 23 brought the option that allows it; JDK 21-22 refuse to start with it. The
# same rule as the daemon 'monkey daemon start' spawns (DaemonControl.quietingOptions).
unsafe_option() { if [ "${1:-0}" -ge 23 ] 2>/dev/null; then echo "--sun-misc-unsafe-memory-access=allow"; fi; }
DAEMON_UNSAFE_OPT=$(unsafe_option "$JAVA_MAJOR")

# The gateway's own AOT cache (JDK 25+ only): its start loads some 4,700 classes before it listens. Trained by
# starting it in a temporary home with the daemon's default options, sending it the CLI's requests (models,
# implement with the demo provider, streamed and not), and stopping it (SIGTERM: it drains and exits, and the JVM
# writes the cache). Used by 'daemon run' and by the daemon 'daemon start' spawns, under the same rules as the
# CLI's; never fails the install.
GATEWAY_AOT_USE=""
if [ "${JAVA_MAJOR:-0}" -ge 25 ] 2>/dev/null; then
  GATEWAY_AOT="$SHARE/aot/gateway-jdk$JAVA_RELEASE-$JARS_SUM.aot"
  train_home=$(mktemp -d "${TMPDIR:-/tmp}/monkey-aot.XXXXXX")
  # shellcheck disable=SC2086
  MONKEY_CODER_HOME="$train_home" MONKEY_CODER_DEMO_DELAY_MS=0 MONKEY_CODER_PORT=0 \
    "$JAVA" $DAEMON_JAVA_OPTS_DEFAULT --enable-native-access=ALL-UNNAMED $DAEMON_UNSAFE_OPT -XX:AOTCacheOutput="$GATEWAY_AOT" \
    $AOT_QUIET -cp "$GATEWAY_CP" com.monkeycoder.cli.Main daemon run --port 0 >"$SHARE/aot/gateway-training.log" 2>&1 &
  train_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$train_home/state/daemon.port" ] && break
    kill -0 "$train_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -s "$train_home/state/daemon.port" ]; then
    for args in "models --json" "implement --provider demo --no-stream training" "implement --provider demo training" \
        "usage" "daemon status"; do
      # shellcheck disable=SC2086
      MONKEY_CODER_HOME="$train_home" "$JAVA" $CLI_OPTS -cp "$CLI_CP" com.monkeycoder.cli.Main $args \
        >>"$SHARE/aot/gateway-training.log" 2>&1 || true
    done
  fi
  kill -TERM "$train_pid" 2>/dev/null || true
  wait "$train_pid" 2>/dev/null || true
  rm -rf "$train_home"
  if [ -s "$GATEWAY_AOT" ]; then
    GATEWAY_AOT_USE="-XX:AOTCache=$GATEWAY_AOT $AOT_QUIET"
    echo "install.sh: the gateway's start-up cache built ($(du -k "$GATEWAY_AOT" | cut -f1) KB)" >&2
  else
    rm -f "$GATEWAY_AOT"
    echo "install.sh: no start-up cache for the gateway; see $SHARE/aot/gateway-training.log" >&2
  fi
fi
cat > "$BIN/monkey.new" <<LAUNCHER
#!/bin/sh
# Monkey Coder launcher, written by install.sh. MONKEY_CODER_JAVA overrides the Java found at install time.
JAVA="\${MONKEY_CODER_JAVA:-$JAVA}"
CLI_CP="$CLI_CP"
GATEWAY_CP="$GATEWAY_CP"
GATEWAY_AOT=
if [ -z "\${MONKEY_CODER_JAVA:-}" ] && [ "\${MONKEY_CODER_AOT:-}" != off ] && [ -n "$GATEWAY_AOT_USE" ] \\
    && [ -f "${GATEWAY_AOT:-/nonexistent}" ]; then
  GATEWAY_AOT="$GATEWAY_AOT_USE"
fi
if [ "\$1" = daemon ] && [ "\$2" = run ]; then
  # The gateway in the foreground (systemd, containers, the shared gateway): the daemon's JVM options, as
  # 'monkey daemon start' gives it: the server compiler, a capped heap and the serial collector, or
  # MONKEY_CODER_DAEMON_JAVA_OPTS (options separated by spaces) instead.
  OPTS="\${MONKEY_CODER_DAEMON_JAVA_OPTS:-}"
  case "\$OPTS" in *[![:space:]]*) ;; *) OPTS="$DAEMON_JAVA_OPTS_DEFAULT" ;; esac # blank: the defaults
  # JDK 23+ only: the option that keeps sun.misc.Unsafe's warnings out of the log (see install.sh). Another Java
  # than the one installed with (MONKEY_CODER_JAVA) is asked its version.
  UNSAFE_OPT="$DAEMON_UNSAFE_OPT"
  if [ -n "\${MONKEY_CODER_JAVA:-}" ]; then
    major=\$("\$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
    UNSAFE_OPT=""
    if [ "\${major:-0}" -ge 23 ] 2>/dev/null; then UNSAFE_OPT="--sun-misc-unsafe-memory-access=allow"; fi
  fi
  set -f # the options are split at spaces, never globbed
  exec "\$JAVA" \$OPTS \$GATEWAY_AOT --enable-native-access=ALL-UNNAMED \$UNSAFE_OPT -cp "\$GATEWAY_CP" com.monkeycoder.cli.Main "\$@"
fi
# Short-lived CLI runs start faster with the C1 compiler only, the JDK's class-data sharing (on by default) and the start-up cache built at
# install time (used only with the Java it was built by; MONKEY_CODER_AOT=off skips it).
# 'monkey --version' alone is faster without it: mapping the cache loads every class it holds.
AOT=
if [ "\$*" != --version ] && [ "\$*" != -V ] && [ -z "\${MONKEY_CODER_JAVA:-}" ] && [ "\${MONKEY_CODER_AOT:-}" != off ] && [ -f "$AOT_FILE" ]; then
  AOT="$AOT_USE $AOT_QUIET"
fi
exec "\$JAVA" $CLI_OPTS \$AOT -Dmonkey.gateway.classpath="\$GATEWAY_CP" \\
  -Dmonkey.gateway.aot="\$GATEWAY_AOT" -cp "\$CLI_CP" com.monkeycoder.cli.Main "\$@"
LAUNCHER
chmod 755 "$BIN/monkey.new"
mv "$BIN/monkey.new" "$BIN/monkey"

echo "install.sh: installed $BIN/monkey" >&2

# Completions where each shell looks for them: bash-completion and fish load these by themselves (for the default
# prefix ~/.local: ~/.local/share/bash-completion/completions and ~/.local/share/fish/vendor_completions.d).
mkdir -p "$PREFIX/share/bash-completion/completions" "$PREFIX/share/fish/vendor_completions.d"
cp completions/monkey.bash "$PREFIX/share/bash-completion/completions/monkey"
cp completions/monkey.fish "$PREFIX/share/fish/vendor_completions.d/monkey.fish"
# The manual page, generated from the same command definitions as --help.
mkdir -p "$PREFIX/share/man/man1"
cp packaging/man/monkey.1 "$PREFIX/share/man/man1/monkey.1"
case "$(basename "${SHELL:-}")" in
  bash) echo "install.sh: bash completion installed; without the bash-completion package, add to ~/.bashrc:" >&2
        echo "            source $SHARE/completions/monkey.bash" >&2 ;;
  zsh)  echo "install.sh: for completion in zsh, add to ~/.zshrc:  source $SHARE/completions/monkey.zsh" >&2 ;;
  fish) echo "install.sh: fish completion installed" >&2 ;;
esac
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) echo "install.sh: $BIN is not on your PATH; add it with: export PATH=\"$BIN:\$PATH\"" >&2 ;;
esac

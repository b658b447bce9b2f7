#!/usr/bin/env bash
# Builds Monkey Coder and installs the `monkey` command into $PREFIX/bin (default ~/.local).
# No root needed; safe to run again (it replaces the previous install).
#   ./install.sh                 build and install into ~/.local
#   PREFIX=/opt/mc ./install.sh  install elsewhere
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
rm -rf "$SHARE.old"
[ -d "$SHARE" ] && mv "$SHARE" "$SHARE.old"
mv "$SHARE.new" "$SHARE"
rm -rf "$SHARE.old"

cat > "$BIN/monkey.new" <<LAUNCHER
#!/bin/sh
# Monkey Coder launcher, written by install.sh. MONKEY_CODER_JAVA overrides the Java found at install time.
JAVA="\${MONKEY_CODER_JAVA:-$JAVA}"
# Short-lived CLI runs start faster with the C1 compiler only and class-data sharing.
exec "\$JAVA" -XX:TieredStopAtLevel=1 -Xshare:auto --enable-native-access=ALL-UNNAMED -cp "$SHARE/lib/*" com.monkeycoder.cli.Main "\$@"
LAUNCHER
chmod 755 "$BIN/monkey.new"
mv "$BIN/monkey.new" "$BIN/monkey"

echo "install.sh: installed $BIN/monkey" >&2
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) echo "install.sh: $BIN is not on your PATH; add it with: export PATH=\"$BIN:\$PATH\"" >&2 ;;
esac

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

# Finds a JDK 21 or newer and prints its java binary. Sourced by install.sh and test.sh.
# Order: MONKEY_CODER_JAVA, JAVA_HOME, java on the PATH, then the system's JVM folders (newest first).

java_major() {
  # java.specification.version is "21", "25"... (or "1.8" for Java 8, which reads as 1)
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_java21() {
  candidates=""
  [ -n "${MONKEY_CODER_JAVA:-}" ] && candidates="$candidates ${MONKEY_CODER_JAVA}"
  [ -n "${JAVA_HOME:-}" ] && candidates="$candidates ${JAVA_HOME}/bin/java"
  on_path=$(command -v java 2>/dev/null || true)
  [ -n "$on_path" ] && candidates="$candidates $on_path"
  for dir in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ /opt/homebrew/opt/openjdk/ /usr/local/opt/openjdk/ 2>/dev/null | sort -rV); do
    candidates="$candidates ${dir%/}/bin/java"
  done
  for java in $candidates; do
    [ -x "$java" ] || continue
    major=$(java_major "$java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$java"
      return 0
    fi
  done
  return 1
}

no_java21_message() {
  cat >&2 <<'MSG'
No JDK 21 or newer was found (looked at MONKEY_CODER_JAVA, JAVA_HOME, java on the PATH and /usr/lib/jvm).
Install one (for example Temurin 21 or 25 from adoptium.net, or your system's openjdk-21-jdk package),
then run this again, or point JAVA_HOME at it.
MSG
}

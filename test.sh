#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run):
#   1. the README's install on a clean copy of this tree, then the demo end to end (scripts/e2e-install.sh);
#   2. every module's unit and integration tests (mvn verify).
set -euo pipefail

cd "$(dirname "$0")"
. scripts/find-java.sh

if ! JAVA=$(find_java21); then
  no_java21_message
  exit 1
fi
JAVA_HOME=$(cd "$(dirname "$JAVA")/.." && pwd -P)
export JAVA_HOME
echo "test.sh: using $("$JAVA" -version 2>&1 | head -n 1) at $JAVA_HOME"

scripts/e2e-install.sh
mvn -B -ntp verify

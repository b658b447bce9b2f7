#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run):
#   1. the README's install on a clean copy of this tree, then the demo end to end (scripts/e2e-install.sh);
#   2. every module's unit and integration tests (mvn verify), the deployed topology among them (TopologyTest:
#      nginx with deploy/nginx.conf in front of three gateways), for which nginx is installed where missing.
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
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "test.sh: installing nginx for the topology test"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q nginx >/dev/null || { apt-get update -q && apt-get install -y -q nginx >/dev/null; }
fi
mvn -B -ntp verify

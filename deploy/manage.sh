#!/usr/bin/env bash
# The compose stack of deploy/compose.yaml: up | down | restart | logs [service] | ps | health
# Reads deploy/.env (copy .env.example). restart restarts the gateway replicas one at a time, each drained
# (SIGTERM) and healthy again before the next, so the balancer keeps serving.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
compose() { docker compose --project-directory "$here" -f "$here/compose.yaml" --env-file "$here/.env" "$@"; }

need_env() {
  if [ ! -f "$here/.env" ]; then
    echo "manage.sh: no $here/.env; copy .env.example to .env and fill it in" >&2
    exit 3
  fi
}

health() { # each service's state and health, then the balancer's /ready through nginx
  compose ps --format '{{.Service}}	{{.State}}	{{.Health}}'
  local port
  port=$(grep -E '^MONKEY_HTTP_PORT=' "$here/.env" | cut -d= -f2)
  if command -v curl >/dev/null 2>&1; then
    curl -fsS "http://127.0.0.1:${port:-8080}/ready" && echo
  fi
}

wait_healthy() { # service
  for _ in $(seq 1 60); do
    [ "$(compose ps --format '{{.Health}}' "$1")" = healthy ] && return 0
    sleep 2
  done
  echo "manage.sh: $1 did not become healthy" >&2
  return 1
}

case "${1:-}" in
  up)      need_env; compose up -d --build --wait ;;
  down)    need_env; compose down ;;
  restart) need_env
           for s in gateway-1 gateway-2; do compose restart --timeout 30 "$s"; wait_healthy "$s"; done ;;
  logs)    need_env; shift; compose logs -f --tail=200 "$@" ;;
  ps)      need_env; compose ps ;;
  health)  need_env; health ;;
  *)       echo "usage: $0 up|down|restart|logs [service]|ps|health" >&2; exit 2 ;;
esac

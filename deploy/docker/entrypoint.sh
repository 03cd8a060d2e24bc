#!/usr/bin/env bash
# The container's entrypoint: checks the environment, waits for the database, then runs leadsync.
#
# Settings come from the environment in the application's own way: LEADSYNC_<KEY> sets leadsync.<key>
# (LEADSYNC_DATABASE_URL, LEADSYNC_DATABASE_USER, LEADSYNC_DATABASE_PASSWORD, LEADSYNC_CLUSTER_ENABLED, ...; the
# list is docs/configuration.md). This script adds only what a container needs around them:
#   LEADSYNC_CONFIG     the config file (default /app/config/application.yml)
#   LEADSYNC_PORT       the HTTP port (default 8080)
#   LEADSYNC_NODE_ID    in a cluster, defaults to the container's host name (the pod's name): unique per instance
#   LEADSYNC_DB_WAIT    seconds to wait for the database to accept connections (default 60; 0: do not wait)
#   JAVA_OPTS           the JVM's options (default -XX:MaxRAMPercentage=75)
#   JAVA_BIN            the java command (default java)
# Exit codes: 2 the environment is wrong (the message names the variable), 3 the database did not answer in time;
# otherwise leadsync's own.
set -euo pipefail

LEADSYNC_CONFIG="${LEADSYNC_CONFIG:-/app/config/application.yml}"
LEADSYNC_PORT="${LEADSYNC_PORT:-8080}"
LEADSYNC_DB_WAIT="${LEADSYNC_DB_WAIT:-60}"
LEADSYNC_JAR="${LEADSYNC_JAR:-/app/leadsync.jar}"
JAVA_BIN="${JAVA_BIN:-java}"
JAVA_OPTS="${JAVA_OPTS:--XX:MaxRAMPercentage=75}"

fail() {
  echo "leadsync entrypoint: $1" >&2
  exit "${2:-2}"
}

[[ "$LEADSYNC_PORT" =~ ^[0-9]+$ ]] || fail "LEADSYNC_PORT must be a port number but is '$LEADSYNC_PORT'"
[[ "$LEADSYNC_DB_WAIT" =~ ^[0-9]+$ ]] || fail "LEADSYNC_DB_WAIT must be a number of seconds but is '$LEADSYNC_DB_WAIT'"

cluster="${LEADSYNC_CLUSTER_ENABLED:-false}"
cluster="${cluster,,}"
url="${LEADSYNC_DATABASE_URL:-}"
if [[ "$cluster" == "true" ]]; then
  [[ "$url" == jdbc:postgresql://* ]] || fail "LEADSYNC_CLUSTER_ENABLED=true needs LEADSYNC_DATABASE_URL=jdbc:postgresql://<host>:<port>/<database> (leadsync.database.url), but it is '${url:-unset}'"
  # Quartz's instance id and the runs' owner: one per instance
  export LEADSYNC_NODE_ID="${LEADSYNC_NODE_ID:-${HOSTNAME:-$(hostname)}}"
fi

# waits until the PostgreSQL of LEADSYNC_DATABASE_URL accepts TCP connections
if [[ "$url" == jdbc:postgresql://* && "$LEADSYNC_DB_WAIT" -gt 0 ]]; then
  address="${url#jdbc:postgresql://}"
  address="${address%%/*}"
  address="${address%%\?*}"
  address="${address##*@}"
  host="${address%%:*}"
  port=5432
  [[ "$address" == *:* ]] && port="${address##*:}"
  [[ "$port" =~ ^[0-9]+$ ]] || fail "LEADSYNC_DATABASE_URL names the port '$port', which is not a number"
  deadline=$((SECONDS + LEADSYNC_DB_WAIT))
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      fail "the database at $host:$port did not accept connections within $LEADSYNC_DB_WAIT s (LEADSYNC_DB_WAIT)" 3
    fi
    sleep 1
  done
  echo "leadsync entrypoint: the database at $host:$port accepts connections"
fi

command="${1:-serve}"
[[ $# -gt 0 ]] && shift
if [[ "$command" == "serve" ]]; then
  set -- serve --config "$LEADSYNC_CONFIG" --port "$LEADSYNC_PORT" "$@"
else
  set -- "$command" "$@"
fi
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec "$JAVA_BIN" $JAVA_OPTS -jar "$LEADSYNC_JAR" "$@"

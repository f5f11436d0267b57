#!/usr/bin/env bash
# Ballast quick start: builds the solution, starts two demo backends, the control plane (admin API +
# dashboard, embedded SQLite) and one node, publishes a demo config and proxies a few requests.
# Ctrl-C stops everything. Needs the .NET 10 SDK, curl and python3.
#
#   deploy/quickstart.sh           # run until Ctrl-C
#   deploy/quickstart.sh --smoke   # stop right after the demo requests (exit 0 when they all worked)
#
# Ports (override with environment variables):
#   BALLAST_HTTP_PORT=9090   dashboard + admin API      BALLAST_NODE_PORT=9091  node gRPC endpoint
#   BALLAST_PROXY_PORT=8080  the node's proxy frontend  BALLAST_S1_PORT=8081 / BALLAST_S2_PORT=8082 demo backends
#   BALLAST_STATS_PORT=8404  the node's stats (/metrics, /stats;csv)
# Other: BALLAST_DATA_DIR=./data (state and logs), BALLAST_NO_BUILD=1 (skip the build), CONFIGURATION=Release.
# shellcheck disable=SC2317  # functions run from traps and wait_for look unreachable to shellcheck 0.9
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

HTTP_PORT="${BALLAST_HTTP_PORT:-9090}"
NODE_PORT="${BALLAST_NODE_PORT:-9091}"
PROXY_PORT="${BALLAST_PROXY_PORT:-8080}"
S1_PORT="${BALLAST_S1_PORT:-8081}"
S2_PORT="${BALLAST_S2_PORT:-8082}"
STATS_PORT="${BALLAST_STATS_PORT:-8404}"
DATA_DIR="${BALLAST_DATA_DIR:-./data}"
CONFIGURATION="${CONFIGURATION:-Release}"
SMOKE=0
if [[ "${1:-}" == "--smoke" ]]; then SMOKE=1; fi

LOG_DIR="$DATA_DIR/logs"
API="http://127.0.0.1:$HTTP_PORT/api/v1"
BIN="bin/$CONFIGURATION/net10.0"
CP_DLL="controlplane/Ballast.ControlPlane/$BIN/ballast-controlplane.dll"
NODE_DLL="dataplane/Ballast.DataPlane/$BIN/ballast-node.dll"
DEMO_DLL="deploy/Ballast.DemoBackend/$BIN/ballast-demo-backend.dll"
PIDS=()
CORE_PIDS=() # control plane and node: the quick start stops when one of them exits

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

any_alive() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then return 0; fi
  done
  return 1
}

stop_all() {
  trap - INT TERM EXIT
  if ((${#PIDS[@]})); then
    say "stopping (${#PIDS[@]} processes)"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      any_alive || break
      sleep 0.1
    done
    kill -KILL "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# start NAME DLL ARGS...: runs `dotnet DLL ARGS` in the background, output to $LOG_DIR/NAME.log.
start() {
  local name="$1" dll="$2"
  shift 2
  dotnet "$dll" "$@" >"$LOG_DIR/$name.log" 2>&1 &
  PIDS+=("$!")
  printf '    %-13s pid %-7s log %s\n' "$name" "$!" "$LOG_DIR/$name.log"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.25 s.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    local pid
    for pid in "${CORE_PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || die "a process exited while waiting for $what; see the logs in $LOG_DIR"
    done
    if ((SECONDS >= deadline)); then
      die "timed out after ${seconds}s waiting for $what (logs in $LOG_DIR)"
    fi
    sleep 0.25
  done
}

api() { # api METHOD PATH [JSON]
  local args=(-fsS -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
  if [[ $# -ge 3 ]]; then args+=(--data "$3"); fi
  curl "${args[@]}" "$API$2"
}

# json EXPR: evaluates a Python expression over the JSON document read from stdin (bound to `d`).
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"
for port in "$HTTP_PORT" "$NODE_PORT" "$PROXY_PORT" "$S1_PORT" "$S2_PORT" "$STATS_PORT"; do
  if port_busy "$port"; then die "port $port on 127.0.0.1 is in use (see the BALLAST_*_PORT overrides)"; fi
done
mkdir -p "$LOG_DIR" "$DATA_DIR/controlplane" "$DATA_DIR/node-1"

if [[ "${BALLAST_NO_BUILD:-0}" != 1 ]]; then
  say "building Platform.sln ($CONFIGURATION)"
  dotnet build Platform.sln -c "$CONFIGURATION" -nologo -v quiet >"$LOG_DIR/build.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/build.log" >&2; die "build failed (full log: $LOG_DIR/build.log)"; }
fi
for dll in "$CP_DLL" "$NODE_DLL" "$DEMO_DLL"; do
  if [[ ! -f "$dll" ]]; then die "$dll not found: build first"; fi
done

say "starting demo backends and the control plane"
start s1 "$DEMO_DLL" --name s1 --urls "http://127.0.0.1:$S1_PORT"
start s2 "$DEMO_DLL" --name s2 --urls "http://127.0.0.1:$S2_PORT"
start controlplane "$CP_DLL" --urls "http://127.0.0.1:$HTTP_PORT" --node-urls "http://127.0.0.1:$NODE_PORT" \
  --data-dir "$DATA_DIR/controlplane"
CORE_PIDS+=("${PIDS[-1]}")

wait_for 60 "the control plane's admin token" grep -q 'Admin token:' "$LOG_DIR/controlplane.log"
TOKEN="$(sed -n 's/.*Admin token:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$LOG_DIR/controlplane.log" | tail -n 1)"
DASHBOARD="$(sed -n 's/.*Dashboard:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$LOG_DIR/controlplane.log" | tail -n 1)"
DASHBOARD="${DASHBOARD:-http://127.0.0.1:$HTTP_PORT/}"
wait_for 60 "the admin API" api GET /nodes
wait_for 30 "demo backend s1" curl -fsS "http://127.0.0.1:$S1_PORT/health"
wait_for 30 "demo backend s2" curl -fsS "http://127.0.0.1:$S2_PORT/health"

if [[ "$(api GET /config | json 'len(d.get("backends") or []) + len(d.get("frontends") or [])')" == 0 ]]; then
  say "creating the demo config: backend app (s1, s2), frontend web on 127.0.0.1:$PROXY_PORT"
  server() {
    printf '{"name":"%s","address":"127.0.0.1","port":%s,"weight":1,"maxconn":0,"state":"ready","check":true}' "$1" "$2"
  }
  api PUT /backends/app "{\"name\":\"app\",\"mode\":\"http\",\"balance\":\"roundrobin\",
    \"healthCheck\":{\"type\":\"http\",\"method\":\"GET\",\"path\":\"/\",\"expectStatus\":200,
      \"interMs\":2000,\"rise\":2,\"fall\":3,\"timeoutMs\":1000},
    \"servers\":[$(server s1 "$S1_PORT"),$(server s2 "$S2_PORT")]}" >/dev/null
  api PUT /frontends/web "{\"name\":\"web\",\"mode\":\"http\",\"binds\":[\"127.0.0.1:$PROXY_PORT\"],
    \"defaultBackend\":\"app\",\"maxconn\":0}" >/dev/null
  VERSION="$(api POST /publish '{"message":"quick start demo"}' | json 'd["version"]')"
  say "published version $VERSION"
else
  VERSION="$(api GET /versions | json 'max([v["version"] for v in d], default=0)')"
  if [[ "$VERSION" == 0 ]]; then
    VERSION="$(api POST /publish '{"message":"quick start demo"}' | json 'd["version"]')"
    say "published the existing working config as version $VERSION"
  else
    say "a config exists already (latest version $VERSION): keeping it"
  fi
fi

say "starting node node-1"
start node-1 "$NODE_DLL" --control-plane "http://127.0.0.1:$NODE_PORT" --node-id node-1 --labels env=demo \
  --data-dir "$DATA_DIR/node-1" --stats-urls "http://127.0.0.1:$STATS_PORT"
CORE_PIDS+=("${PIDS[-1]}")
node_synced() {
  api GET /nodes | json "any(n['nodeId'] == 'node-1' and n['status'] == 'SYNCED' for n in d)" | grep -qx True
}
wait_for 60 "node-1 to be SYNCED" node_synced

say "requests through the proxy (http://127.0.0.1:$PROXY_PORT/)"
wait_for 30 "the proxy to answer" curl -fsS "http://127.0.0.1:$PROXY_PORT/"
FAILED=0
for i in 1 2 3 4 5 6; do
  if body="$(curl -fsS "http://127.0.0.1:$PROXY_PORT/")"; then
    printf '    request %s -> %s\n' "$i" "$body"
  else
    FAILED=1
  fi
done

cat <<EOF

  Dashboard:   $DASHBOARD
  Admin token: $TOKEN
  Proxy:       http://127.0.0.1:$PROXY_PORT/
  Admin API:   curl -H "Authorization: Bearer $TOKEN" $API/nodes
  Logs:        $LOG_DIR/

EOF

if ((SMOKE)); then
  ((FAILED == 0)) || die "some requests through the proxy failed"
  say "smoke run done"
  exit 0
fi

say "running; press Ctrl-C to stop (kill a demo backend to watch its health check take it out)"
# A demo backend may exit (that is the demo); the control plane or the node exiting ends the quick start.
while :; do
  wait -n "${PIDS[@]}" || true
  for pid in "${CORE_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "the control plane or the node exited unexpectedly; see the logs in $LOG_DIR"
  done
  alive=()
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); else
      printf 'quickstart: demo backend pid %s exited; the node keeps serving from the other server\n' "$pid" >&2
    fi
  done
  PIDS=("${alive[@]}")
done

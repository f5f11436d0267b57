#!/usr/bin/env bash
# Side-by-side benchmark of a Ballast node, HAProxy 2.6 and nginx (as a proxy) on 127.0.0.1.
#
# Two nginx backends (one worker each, fixed 200 "ok" response) sit behind three proxies with
# equivalent configurations (roundrobin over both backends, no health checks, keep-alive to servers).
# wrk drives each proxy in turn (A B C, rotating the order every round) for each scenario:
#   http50   HTTP/1.1 keep-alive, 50 connections
#   http200  HTTP/1.1 keep-alive, 200 connections
#   close50  a new connection per request (Connection: close), 50 connections
#   tcp50    TCP mode (layer 4) relaying HTTP keep-alive, 50 connections
#   tls50    TLS termination (ECDSA P-256, TLS 1.3), keep-alive, 50 connections
# Before round 1 each proxy gets an unrecorded warm-up (BENCH_WARMUP s of http and tcp load: JIT tiering).
# Per run it records requests/s, p50/p99 latency, requests per CPU-second of the proxy process(es),
# the proxy's max RSS under load, the machine's CPU steal and the CPU used by other processes (not the proxy,
# wrk or the backends: the machine is shared). A run is "clean" when steal < 5 % and other processes used
# < 10 % of the machine. It prints a table of medians (all runs; req/s also over clean runs) and, last:
#   ratio ballast/haproxy http=X.XX tcp=X.XX tls=X.XX p99_http=X.XX cpu_http=X.XX rss=X.XX
# where http, p99_http and cpu_http are geometric means over http50 and http200, rss is max RSS under
# http200 load. A scenario the Ballast node cannot run yet (its control plane rejects the config) is n/a.
#
# Environment: BENCH_DURATION (s per run, default 10), BENCH_ROUNDS (default 3), BENCH_WARMUP (s, default 3),
# HAPROXY_THREADS (default 1), BENCH_OUT (results dir, default ./data/bench-<date>),
# BENCH_PROXIES (default "ballast haproxy nginx"; without haproxy there is no ratio),
# BENCH_SCENARIOS (default "http50 http200 close50 tcp50 tls50"), BENCH_NODE_ENV (extra environment of the
# node only, e.g. "DOTNET_TieredPGO=0"; "BALLAST_HTTP_FAST_PATH=off" measures the YARP path),
# BENCH_SKIP_BUILD=1 (reuse the last Release build), BENCH_BACKEND_PORTS (default "18081 18082").
# The chart (deploy/bench_chart.py → <out>/bench.svg) is drawn at the end. Full length (10 s x 3 rounds) ≈ 10 min.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${BENCH_DURATION:-10}"
rounds="${BENCH_ROUNDS:-3}"
warmup="${BENCH_WARMUP:-3}"
haproxy_threads="${HAPROXY_THREADS:-1}"
out="${BENCH_OUT:-$root/data/bench-$(date -u +%Y%m%dT%H%M%SZ)}"
work="$(mktemp -d /tmp/ballast-bench.XXXXXX)"
mkdir -p "$out"
results="$out/runs.jsonl"
: > "$results"

# Ports: backends 1808x; haproxy 1818x; nginx 1828x; ballast 1838x (+ control plane 18390/18391).
# BENCH_BACKEND_PORTS="p1 p2" moves the two backends (other tools on this shared machine use 1808x too).
read -r be1 be2 <<<"${BENCH_BACKEND_PORTS:-18081 18082}"
declare -A port_http=([haproxy]=18180 [nginx]=18280 [ballast]=18380)
declare -A port_tcp=([haproxy]=18181 [nginx]=18281 [ballast]=18381)
declare -A port_tls=([haproxy]=18182 [nginx]=18282 [ballast]=18382)
cp_api=18390 cp_nodes=18391

pids=()
backend_pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

install_missing() {
  local need=()
  command -v haproxy >/dev/null || need+=(haproxy)
  command -v nginx >/dev/null || need+=(nginx-light)
  [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
  command -v wrk >/dev/null || need+=(wrk)
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl >/dev/null || need+=(curl)
  if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then log "missing: ${need[*]} (run as root to install)"; exit 1; fi
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }
  fi
}

wait_http() { # url, tries (x100 ms)
  local i
  for ((i = 0; i < ${2:-100}; i++)); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  log "timeout waiting for $1"; return 1
}

make_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=127.0.0.1 -keyout "$work/key.pem" -out "$work/crt.pem" 2>/dev/null
  cat "$work/crt.pem" "$work/key.pem" > "$work/combined.pem"
}

start_backends() {
  local port
  for port in "$be1" "$be2"; do
    mkdir -p "$work/nginx-$port"
    cat > "$work/nginx-$port/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx-$port/nginx.pid;
error_log $work/nginx-$port/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
EOF
    nginx -p "$work/nginx-$port" -c "$work/nginx-$port/nginx.conf" &
    pids+=($!)
    backend_pids+=($!)
  done
  wait_http "http://127.0.0.1:$be1/" && wait_http "http://127.0.0.1:$be2/"
}

start_haproxy() {
  cat > "$work/haproxy.cfg" <<EOF
global
  maxconn 4000
  nbthread $haproxy_threads
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend fe_http
  bind 127.0.0.1:${port_http[haproxy]}
  default_backend be_http
frontend fe_tls
  bind 127.0.0.1:${port_tls[haproxy]} ssl crt $work/combined.pem alpn http/1.1
  default_backend be_http
backend be_http
  balance roundrobin
  server s1 127.0.0.1:$be1
  server s2 127.0.0.1:$be2
listen tcp
  mode tcp
  bind 127.0.0.1:${port_tcp[haproxy]}
  balance roundrobin
  server s1 127.0.0.1:$be1
  server s2 127.0.0.1:$be2
EOF
  haproxy -db -f "$work/haproxy.cfg" &
  pids+=($!)
  proxy_pid[haproxy]=$!
  wait_http "http://127.0.0.1:${port_http[haproxy]}/"
}

start_nginx_proxy() {
  mkdir -p "$work/nginx-proxy"
  cat > "$work/nginx-proxy/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
daemon off;
pid $work/nginx-proxy/nginx.pid;
error_log $work/nginx-proxy/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream be { server 127.0.0.1:$be1; server 127.0.0.1:$be2; keepalive 256; }
  server {
    listen 127.0.0.1:${port_http[nginx]} backlog=4096;
    listen 127.0.0.1:${port_tls[nginx]} ssl backlog=4096;
    ssl_certificate $work/crt.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
stream {
  upstream tbe { server 127.0.0.1:$be1; server 127.0.0.1:$be2; }
  server { listen 127.0.0.1:${port_tcp[nginx]} backlog=4096; proxy_pass tbe; }
}
EOF
  nginx -p "$work/nginx-proxy" -c "$work/nginx-proxy/nginx.conf" &
  pids+=($!)
  proxy_pid[nginx]=$!
  wait_http "http://127.0.0.1:${port_http[nginx]}/"
}

api() { # method path [json]
  curl -sS -o "$work/api.out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} "http://127.0.0.1:$cp_api/api/v1$2"
}

start_ballast() {
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building Ballast (Release)"
    local proj
    for proj in controlplane/Ballast.ControlPlane/Ballast.ControlPlane.csproj dataplane/Ballast.DataPlane/Ballast.DataPlane.csproj; do
      dotnet build "$root/$proj" -c Release -v q -nologo >"$work/build.log" 2>&1 \
        || { tail -30 "$work/build.log"; exit 1; }
    done
  fi
  local cp_dll node_dll
  cp_dll="$(find "$root/controlplane" -path '*/bin/Release/*' -name ballast-controlplane.dll | head -1)"
  node_dll="$(find "$root/dataplane" -path '*/bin/Release/*' -name ballast-node.dll | head -1)"
  token="bench-$(date +%s%N)"
  dotnet "$cp_dll" --urls "http://127.0.0.1:$cp_api" --node-urls "http://127.0.0.1:$cp_nodes" \
    --data-dir "$work/cp" --admin-token "$token" >"$out/controlplane.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$cp_api/openapi/v1.json" 300
  local servers="[{\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":$be1,\"check\":false},{\"name\":\"s2\",\"address\":\"127.0.0.1\",\"port\":$be2,\"check\":false}]"
  api PUT /backends/be_http "{\"name\":\"be_http\",\"mode\":\"http\",\"balance\":\"roundrobin\",\"healthCheck\":{\"type\":\"none\"},\"servers\":$servers}" >/dev/null
  api PUT /frontends/fe_http "{\"name\":\"fe_http\",\"mode\":\"http\",\"binds\":[\"127.0.0.1:${port_http[ballast]}\"],\"defaultBackend\":\"be_http\"}" >/dev/null
  [ "$(api POST /publish '{"message":"bench http"}')" = 200 ] || { cat "$work/api.out"; exit 1; }
  ballast_supports=(http50 http200 close50)
  # TCP and TLS: published only if the control plane accepts them (features may not exist yet).
  api PUT /backends/be_tcp "{\"name\":\"be_tcp\",\"mode\":\"tcp\",\"balance\":\"roundrobin\",\"healthCheck\":{\"type\":\"none\"},\"servers\":$servers}" >/dev/null
  api PUT /frontends/fe_tcp "{\"name\":\"fe_tcp\",\"mode\":\"tcp\",\"binds\":[\"127.0.0.1:${port_tcp[ballast]}\"],\"defaultBackend\":\"be_tcp\"}" >/dev/null
  if [ "$(api POST /publish '{"message":"bench tcp"}')" = 200 ]; then
    ballast_supports+=(tcp50)
  else
    log "Ballast rejects mode tcp: $(head -c 300 "$work/api.out")"
    api DELETE /frontends/fe_tcp >/dev/null; api DELETE /backends/be_tcp >/dev/null
  fi
  # TLS termination, as HAProxy's fe_tls: the same certificate and key, ALPN http/1.1, TLS 1.2 minimum (wrk and
  # all three proxies negotiate TLS 1.3 with TLS_AES_256_GCM_SHA384 over ECDSA P-256).
  python3 -c 'import json, sys; print(json.dumps({"certPem": open(sys.argv[1]).read(), "keyPem": open(sys.argv[2]).read()}))' \
    "$work/crt.pem" "$work/key.pem" >"$work/cert.json"
  api PUT /certificates/bench "@$work/cert.json" >/dev/null
  api PUT /frontends/fe_tls "{\"name\":\"fe_tls\",\"mode\":\"http\",\"binds\":[\"127.0.0.1:${port_tls[ballast]} ssl crt bench alpn http/1.1\"],\"defaultBackend\":\"be_http\"}" >/dev/null
  if [ "$(api POST /publish '{"message":"bench tls"}')" = 200 ]; then
    ballast_supports+=(tls50)
  else
    log "Ballast rejects the TLS frontend: $(head -c 300 "$work/api.out")"
    api DELETE /frontends/fe_tls >/dev/null
  fi
  # shellcheck disable=SC2086 # BENCH_NODE_ENV is a list of VAR=value words
  env ${BENCH_NODE_ENV:-} dotnet "$node_dll" --control-plane "http://127.0.0.1:$cp_nodes" --node-id bench \
    --data-dir "$work/node" >"$out/node.log" 2>&1 &
  pids+=($!)
  proxy_pid[ballast]=$!
  wait_http "http://127.0.0.1:${port_http[ballast]}/" 300
  sleep 2
  ballast_idle_rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/${proxy_pid[ballast]}/status")"
  log "Ballast node idle RSS: $((ballast_idle_rss_kb / 1024)) MB"
}

# CPU ticks (utime+stime) of a process and its children processes (nginx master + workers).
proc_tree() { echo "$1"; pgrep -P "$1" 2>/dev/null || true; }
cpu_ticks() {
  local t=0 p
  for p in $(proc_tree "$1"); do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
rss_kb() {
  local t=0 p
  for p in $(proc_tree "$1"); do
    [ -r "/proc/$p/status" ] && t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status")))
  done
  echo "$t"
}
steal_ticks() { awk '/^cpu / {print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
busy_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat; } # user nice system irq softirq, all CPUs
backend_ticks() { local t=0 p; for p in "${backend_pids[@]}"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }

run_one() { # proxy scenario round
  local proxy=$1 scenario=$2 round=$3 url conns=50 extra=()
  case $scenario in
    http50) url="http://127.0.0.1:${port_http[$proxy]}/" ;;
    http200) url="http://127.0.0.1:${port_http[$proxy]}/"; conns=200 ;;
    close50) url="http://127.0.0.1:${port_http[$proxy]}/"; extra=(-H 'Connection: close') ;;
    tcp50) url="http://127.0.0.1:${port_tcp[$proxy]}/" ;;
    tls50) url="https://127.0.0.1:${port_tls[$proxy]}/" ;;
  esac
  local pid=${proxy_pid[$proxy]} c0 c1 s0 s1 b0 b1 k0 k1 maxrss=0 r
  c0=$(cpu_ticks "$pid"); s0=$(steal_ticks); b0=$(busy_ticks); k0=$(backend_ticks)
  # wrk's own CPU time comes from the subshell's `times` (children line), to tell other processes' load apart.
  (wrk -t2 -c"$conns" -d"${duration}s" --latency "${extra[@]}" "$url" >"$work/wrk.out" 2>&1; times >"$work/wrk.times") &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    r=$(rss_kb "$pid"); [ "$r" -gt "$maxrss" ] && maxrss=$r
    sleep 0.5
  done
  wait "$wrk_pid" || true
  c1=$(cpu_ticks "$pid"); s1=$(steal_ticks); b1=$(busy_ticks); k1=$(backend_ticks)
  # shellcheck disable=SC2086 # s0/s1 are two numbers each
  python3 - "$proxy" "$scenario" "$round" "$((c1 - c0))" "$maxrss" $s0 $s1 "$duration" "$work/wrk.out" \
    "$((b1 - b0))" "$((k1 - k0))" "$work/wrk.times" "$(awk '{print $1}' /proc/loadavg)" >>"$results" <<'PY'
import json, re, sys
proxy, scenario, rnd, ticks, rss, s0a, s0b, s1a, s1b, dur, path, busy, backends, times_path, load = sys.argv[1:16]
text = open(path).read()
def secs(v):
    m = re.match(r"(\d+)m([\d.]+)s", v)
    return int(m.group(1)) * 60 + float(m.group(2)) if m else 0.0
times = open(times_path).read().split("\n")
wrk_s = sum(secs(v) for v in times[1].split()) if len(times) > 1 else 0.0
total_ticks = max(1, int(s1b) - int(s0b))  # all CPUs
others = (int(busy) - int(ticks) - int(backends) - wrk_s * 100) / total_ticks * 100
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)) if "Requests/sec" in text else 0.0
lat = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
total = re.search(r"(\d+) requests in", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
cpu_s = int(ticks) / 100.0
steal = (int(s1a) - int(s0a)) / max(1, int(s1b) - int(s0b)) * 100
reqs = int(total.group(1)) if total else 0
print(json.dumps({
    "proxy": proxy, "scenario": scenario, "round": int(rnd), "rps": rps,
    "p50_ms": lat.get("50"), "p99_ms": lat.get("99"), "cpu_s": cpu_s,
    "req_per_cpu_s": reqs / cpu_s if cpu_s > 0 else None, "rss_mb": int(rss) / 1024,
    "steal_pct": round(steal, 1), "others_pct": round(max(0.0, others), 1), "load1": float(load),
    "non2xx": int(errors.group(1)) if errors else 0,
    "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0}))
PY
  log "$(tail -1 "$results")"
}

summarize() {
  python3 - "$results" "${ballast_idle_rss_kb:-0}" "$haproxy_threads" <<'PY'
import json, math, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
idle_mb = int(sys.argv[2]) / 1024
def med(proxy, scenario, key, clean=False):
    vals = [r[key] for r in rows if r["proxy"] == proxy and r["scenario"] == scenario and r[key] is not None
            and r["rps"] > 0 and (not clean or (r["steal_pct"] < 5 and r.get("others_pct", 0) < 10))]
    return statistics.median(vals) if vals else None
scenarios = ["http50", "http200", "close50", "tcp50", "tls50"]
print(f"{'proxy':8} {'scenario':8} {'req/s':>9} {'req/s clean':>11} {'p50 ms':>7} {'p99 ms':>7} {'req/cpu-s':>10} {'rss MB':>7} {'steal%':>6} {'other%':>6} {'errors':>6}")
for s in scenarios:
    for p in ["ballast", "haproxy", "nginx"]:
        rps = med(p, s, "rps")
        if rps is None:
            print(f"{p:8} {s:8} {'n/a':>9}")
            continue
        clean = med(p, s, "rps", clean=True)
        errs = sum(r["non2xx"] + r["socket_errors"] for r in rows if r["proxy"] == p and r["scenario"] == s)
        f = lambda v, d=2: "-" if v is None else f"{v:.{d}f}"
        print(f"{p:8} {s:8} {rps:9.0f} {f(clean, 0):>11} {f(med(p, s, 'p50_ms')):>7} {f(med(p, s, 'p99_ms')):>7} "
              f"{f(med(p, s, 'req_per_cpu_s'), 0):>10} {f(med(p, s, 'rss_mb'), 1):>7} {f(med(p, s, 'steal_pct'), 1):>6} "
              f"{f(med(p, s, 'others_pct'), 1):>6} {errs:>6}")
print(f"ballast node idle RSS: {idle_mb:.1f} MB; haproxy nbthread {sys.argv[3]}; nginx 1 worker; wrk -t2")
def ratio(s, key):
    a, b = med("ballast", s, key), med("haproxy", s, key)
    return a / b if a and b else None
def gmean(vals):
    vals = [v for v in vals if v]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if len(vals) == 2 else None
fmt = lambda v: "n/a" if v is None else f"{v:.2f}"
http = gmean([ratio("http50", "rps"), ratio("http200", "rps")])
p99 = gmean([ratio("http50", "p99_ms"), ratio("http200", "p99_ms")])
cpu = gmean([ratio("http50", "req_per_cpu_s"), ratio("http200", "req_per_cpu_s")])
print(f"ratio ballast/haproxy http={fmt(http)} tcp={fmt(ratio('tcp50', 'rps'))} tls={fmt(ratio('tls50', 'rps'))} "
      f"p99_http={fmt(p99)} cpu_http={fmt(cpu)} rss={fmt(ratio('http200', 'rss_mb'))}")
PY
}

check_ports_free() { # another bench (or anything) on our ports would silently skew or break the runs
  local port busy=()
  for port in "$be1" "$be2" "${port_http[@]}" "${port_tcp[@]}" "${port_tls[@]}" "$cp_api" "$cp_nodes"; do
    ss -Htln "sport = :$port" | grep -q . && busy+=("$port")
  done
  if [ "${#busy[@]}" -gt 0 ]; then log "ports in use: ${busy[*]} (another bench running?)"; exit 1; fi
}

main() {
  install_missing
  check_ports_free
  make_cert
  declare -gA proxy_pid=()
  ballast_supports=()
  start_backends
  local proxies scenarios round i s p
  read -r -a proxies <<<"${BENCH_PROXIES:-ballast haproxy nginx}"
  read -r -a scenarios <<<"${BENCH_SCENARIOS:-http50 http200 close50 tcp50 tls50}"
  for p in "${proxies[@]}"; do "start_${p/nginx/nginx_proxy}"; done
  local n=${#proxies[@]}
  if [ "$warmup" -gt 0 ]; then
    log "warm-up: ${warmup}s http and tcp per proxy (not recorded)"
    for p in "${proxies[@]}"; do
      wrk -t2 -c50 -d"${warmup}s" "http://127.0.0.1:${port_http[$p]}/" >/dev/null 2>&1 || true
      if [ "$p" != ballast ] || [[ " ${ballast_supports[*]} " =~ \ tcp50\  ]]; then
        wrk -t2 -c50 -d"${warmup}s" "http://127.0.0.1:${port_tcp[$p]}/" >/dev/null 2>&1 || true
      fi
    done
  fi
  for ((round = 1; round <= rounds; round++)); do
    for s in "${scenarios[@]}"; do
      for ((i = 0; i < n; i++)); do
        p=${proxies[$(((i + round - 1) % n))]}
        if [ "$p" = ballast ] && [[ ! " ${ballast_supports[*]} " =~ \ $s\  ]]; then continue; fi
        run_one "$p" "$s" "$round"
      done
    done
  done
  {
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# duration ${duration}s x ${rounds} rounds; $(haproxy -v | head -1); $(nginx -v 2>&1); dotnet $(dotnet --version)"
    summarize
  } | tee "$out/summary.txt"
  python3 "$root/deploy/bench_chart.py" "$results" "$out/bench.svg" \
    "deploy/bench.sh $(date -u +%Y-%m-%d), $(nproc) cores, ${duration}s x ${rounds} rounds" >/dev/null 2>&1 \
    && log "chart: $out/bench.svg" || log "chart not drawn"
}

main "$@"

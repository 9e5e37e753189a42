#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs a set of load scenarios against a control server and writes a report (Markdown + JSON).
#
#   tools/loadgen/run.sh --start [--pin] [-- LOADGEN FLAGS]
#       builds nothing but the generator; starts a Ledgerscale server from server/target/ledgerscale-exec.jar (an
#       embedded PostgreSQL, data under a temporary folder, a random port), creates an API key for the run with the
#       `ledgerscale` CLI, runs, stops the server.
#   tools/loadgen/run.sh --server http://127.0.0.1:8080 [--server-pid PID] [--db-pid PID] [-- LOADGEN FLAGS]
#       targets a running server (Ledgerscale or Headscale); give LOADGEN_API_KEY (admin key, for admin changes)
#       and/or LOADGEN_AUTHKEY (reusable pre-auth key) in the environment. --db-pid is a separate database
#       server's main process (PostgreSQL's postmaster, the first line of its postmaster.pid): its CPU and its
#       backends' is reported beside the server's. A started server's embedded PostgreSQL is found on its own.
#
# Defaults: -n 200 -mode light -scenario register,connect,storm,fanout,churn,idle; anything after `--` is passed
# to the generator and overrides them. With --pin the server runs on CPU 0 and the generator on CPU 1
# (GOMAXPROCS=1). Reports go to --out DIR (default target/loadgen/<time>). LOADGEN_SERVER_JAVA_OPTS replaces the
# started server's JVM options (default -Xmx1g; a 1,000-node fleet needs -Xmx256m, see README "Benchmarks");
# server/jvm.options applies either way. LOADGEN_SERVER_MAX_SESSIONS sets the started server's limits.noise.max_sessions
# (default 0: derived from its descriptor limit, 9,000 sessions with 20,000 descriptors; a 10,000-node fleet needs more).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start=false pin=false server="" server_pid="" db_pid="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --start) start=true ;;
    --pin) pin=true ;;
    --server) server="$2"; shift ;;
    --server-pid) server_pid="$2"; shift ;;
    --db-pid) db_pid="$2"; shift ;;
    --out) out="$2"; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '3,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if $start && [ -n "$server" ]; then echo "run.sh: --start or --server, not both" >&2; exit 2; fi
if ! $start && [ -z "$server" ]; then echo "run.sh: give --start or --server URL (see --help)" >&2; exit 2; fi
out="${out:-$root/target/loadgen/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"

loadgen="$("$here/build.sh")"
cpu_server=() cpu_gen=()
if $pin; then
  command -v taskset >/dev/null || { echo "run.sh: --pin needs taskset" >&2; exit 2; }
  cpu_server=(taskset -c 0) cpu_gen=(taskset -c 1)
  export GOMAXPROCS=1
fi

work="" pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

if $start; then
  jar="$root/server/target/ledgerscale-exec.jar"
  [ -f "$jar" ] || { echo "run.sh: no $jar; build it: ./mvnw -o -q -B -pl server -am package -DskipTests" >&2; exit 2; }
  work="$(mktemp -d "${TMPDIR:-/tmp}/loadgen-server.XXXXXX")"
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  port=$(free_port) metrics=$(free_port) dbport=$(free_port)
  cat > "$work/derp.json" <<JSON
{"Regions":{"900":{"RegionID":900,"RegionCode":"bench","RegionName":"Bench","Nodes":[
 {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1","IPv6":"none","STUNPort":-1,"DERPPort":3340}]}}}
JSON
  cat > "$work/config.yaml" <<YAML
server_url: http://127.0.0.1:$port
listen_addr: 127.0.0.1:$port
metrics_listen_addr: 127.0.0.1:$metrics
data_dir: $work/data
log:
  level: warn
database:
  type: embedded
  embedded:
    port: $dbport
derp:
  urls: []
  paths: [$work/derp.json]
  auto_update_enabled: false
dns:
  magic_dns: true
  base_domain: bench.ledgerscale.test
  override_local_dns: false
# the whole fleet connects from one address: no per-source cap. The total is LOADGEN_SERVER_MAX_SESSIONS, or derived
# from the fd limit when that is unset (one descriptor a session, half of what the reserve leaves; see the header)
limits:
  noise:
    max_sessions: ${LOADGEN_SERVER_MAX_SESSIONS:-0}
    max_sessions_per_source: 0
YAML
  echo "run.sh: starting the server on 127.0.0.1:$port (data in $work)" >&2
  # as ./ledgerscale serve and the image run it: two malloc arenas (README, Benchmarks)
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  # shellcheck disable=SC2086 # LOADGEN_SERVER_JAVA_OPTS is a list of JVM options
  "${cpu_server[@]}" java @"$root/server/jvm.options" ${LOADGEN_SERVER_JAVA_OPTS:--Xmx1g} -Daxoniq.update-checker.disabled=true -jar "$jar" \
    serve -c "$work/config.yaml" \
    > "$out/server.log" 2>&1 &
  pid=$!
  server="http://127.0.0.1:$port"
  server_pid=$pid
  began=$(date +%s)
  until curl -fsS "http://127.0.0.1:$metrics/health" >/dev/null 2>&1 && [ -s "$work/data/initial-api-key" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the server exited; see $out/server.log" >&2; exit 1; }
    [ $(( $(date +%s) - began )) -lt 180 ] || { echo "run.sh: the server is not healthy after 180 s" >&2; exit 1; }
    sleep 1
  done
  echo "run.sh: server ready after $(( $(date +%s) - began ))s" >&2
  # the embedded PostgreSQL runs on the server's core too: its CPU is part of what the server costs
  db_pid="$(head -n 1 "$work/data/postgres/postmaster.pid" 2>/dev/null || true)"
  # a key for this run only, made with the operator's tool (the CLI reads address and key from the environment)
  LOADGEN_API_KEY="$(LEDGERSCALE_CLI_ADDRESS="$server" LEDGERSCALE_CLI_API_KEY="$(cat "$work/data/initial-api-key")" \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" apikeys create -e 1d -o json | tr -d '"[:space:]')"
  export LOADGEN_API_KEY
fi

args=(-server "$server" -n 200 -mode light -json "$out/report.json" -md "$out/report.md")
# -scenario adds to the list, so the default set applies only when the caller names none
case " $* " in *" -scenario "*|*" -scenario="*|*" --scenario"*) ;; *) args+=(-scenario register,connect,storm,fanout,churn,idle) ;; esac
[ -n "$server_pid" ] && args+=(-server-pid "$server_pid")
[ -n "$db_pid" ] && args+=(-db-pid "$db_pid")
status=0
"${cpu_gen[@]}" "$loadgen" "${args[@]}" "$@" || status=$?
echo "run.sh: report in $out/report.md" >&2
cat "$out/report.md" 2>/dev/null || true
exit $status

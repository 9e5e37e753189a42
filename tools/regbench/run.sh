#!/bin/bash
# Registration burst against a fresh server: the server (and the embedded PostgreSQL it starts) pinned to core 0,
# regbench to core 1. Prints regbench's report, the CPU the server's threads and PostgreSQL spent during the
# measured burst, and leaves a JFR recording in $OUT.
#
#   tools/regbench/run.sh server/target/ledgerscale-exec.jar [N=1000] [C=50]
#   WARM=200 (registrations before the measured burst)  JOPTS="..." (extra JVM options)  OUT=/tmp/regbench-run
set -e
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(realpath "$1")"; n=${2:-1000}; c=${3:-50}
out="${OUT:-/tmp/regbench-run}"; port=${PORT:-18080}; mport=$((port + 1010))
mkdir -p "$out"; rm -rf "$out/data"
(cd "$here" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -o "$out/regbench" .)
cat > "$out/config.yaml" <<YAML
server_url: http://127.0.0.1:$port
listen_addr: 127.0.0.1:$port
metrics_listen_addr: 127.0.0.1:$mport
data_dir: $out/data
derp:
  urls: []
  auto_update_enabled: false
YAML
taskset -c 0 java $JOPTS -XX:StartFlightRecording=filename="$out/server.jfr",settings=profile -jar "$jar" serve \
  -c "$out/config.yaml" > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 180); do
  curl -sf "127.0.0.1:$mport/health" > /dev/null && [ -f "$out/data/initial-api-key" ] && break; sleep 1
done
cli="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar $jar -c $out/config.yaml"
export LEDGERSCALE_CLI_API_KEY="$(cat "$out/data/initial-api-key")"
$cli users create bench > /dev/null
key=$($cli preauthkeys create --user 1 --reusable --expiration 24h | grep lskey-auth | tail -1)
taskset -c 1 "$out/regbench" -addr "127.0.0.1:$port" -authkey "$key" -n "${WARM:-200}" -c "$c" -prefix warm
threads() {
  for t in /proc/$pid/task/*; do
    printf '%s\t%s\n' "$(sed 's/[0-9]\+/N/g' "$t/comm")" "$(awk '{print $14+$15}' "$t/stat")"
  done | awk -F'\t' '{a[$1]+=$2} END {for (k in a) print k"\t"a[k]}' | sort
}
pm=$(pgrep -f "bin/postgres -D $out/data")
pg() { for p in $pm $(pgrep -P "$pm"); do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | paste -sd+ | bc; }
threads > "$out/threads0"; p0=$(pg)
taskset -c 1 "$out/regbench" -addr "127.0.0.1:$port" -authkey "$key" -n "$n" -c "$c" -prefix run || true
threads > "$out/threads1"; p1=$(pg)
echo "server CPU during the burst (ms), by thread:"
join -t $'\t' "$out/threads0" "$out/threads1" | awk -F'\t' '$3>$2 {printf "%8d  %s\n", ($3-$2)*10, $1}' | sort -rn | head -12
echo "$(( (p1 - p0) * 10 ))  postgres (all its processes)"
jcmd $pid JFR.dump filename="$out/server.jfr" > /dev/null

#!/usr/bin/env bash
# Measures the distribution: tar.gz size, time from `bin/karaf server` to the demo site running
# (the REST API answers with a completed control cycle) on a first boot (fresh unpack: Karaf resolves
# the boot features) and on a restart of the same installation, and the JVM's resident memory once idle.
# Usage: benchmarks/distro.sh [runs] [idle-seconds]   (after `mvn -DskipTests install`)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
IDLE=${2:-60}
TARBALL=$(ls karaf-distro/assembly/target/fusebox-distribution-*.tar.gz | head -1)
PORT=${FUSEBOX_HTTP_PORT:-8181}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "distribution: $TARBALL"
echo "size: $(stat -c %s "$TARBALL") bytes ($(du -h "$TARBALL" | cut -f1))"

# Starts bin/karaf server; sets pid and ms (milliseconds until the site answers with a cycle).
pid=""
ms=""
start_site() {
  local start ready
  start=$(date +%s%N)
  "$WORK/dist/bin/karaf" server > "$WORK/karaf.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$PORT/fusebox/api/v1/site" 2>/dev/null | grep -q '"cycle"'; then
      ready=$(date +%s%N)
      ms=$(( (ready - start) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  echo "the site did not come up within 30 s" >&2
  kill "$pid"; wait "$pid" || true
  exit 1
}

stop_site() {
  "$WORK/dist/bin/stop" >/dev/null 2>&1 || kill "$pid"
  wait "$pid" || true
}

for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/dist" && mkdir -p "$WORK/dist"
  tar -xzf "$TARBALL" -C "$WORK/dist" --strip-components=1
  start_site; first=$ms
  stop_site
  start_site; again=$ms
  echo "run $run: start to site running: first boot $first ms, restart $again ms"
  if [ "$run" = "$RUNS" ]; then
    sleep "$IDLE"
    jpid=$(pgrep -f "karaf.home=$WORK/dist" | head -1)
    echo "idle RSS after ${IDLE}s: $(( $(ps -o rss= -p "$jpid") / 1024 )) MiB (pid $jpid)"
  fi
  stop_site
done

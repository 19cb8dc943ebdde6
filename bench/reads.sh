#!/usr/bin/env bash
# Measures the API's read path from outside (issue 17): wrk against a running API jar, the
# healthcheck and GET /api/1/ipam/portmap of gateways holding 10, 300 and 3,000 maps (all of
# them, and by name at 3,000), in one run, so the ratios to the healthcheck compare.
#   bench/reads.sh                  # builds the jar if missing, prints a Markdown table
#   JAR=path/to/ipam-api.jar LAYOUT=v1 bench/reads.sh   # an older jar of the first Redis layout
# Needs the local Redis and RabbitMQ (management on 127.0.0.1:15672, for a vhost of its own),
# wrk, curl, redis-cli and openssl. Settings: DURATION (10s), CONNECTIONS (64), THREADS (2),
# JAVA_OPTS (for the API's JVM, such as a flight recording to profile it).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
layout=${LAYOUT:-v2}
jar=${JAR:-$(ls ipam-api/target/ipam-api-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$jar" ]; then
  ./mvnw -B -q -pl ipam-api -am package -DskipTests
  jar=$(ls ipam-api/target/ipam-api-*.jar | grep -v original | head -1)
fi
id=$$
prefix="bench-reads-$id:"
vhost="bench-reads-$id"
port=$((18400 + id % 500))
secret=bench-only-secret-0123456789abcdef0123456789
log=$(mktemp -d)/api.log
api_pid=""

cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  redis-cli --scan --pattern "$prefix*" | xargs -r -n 500 redis-cli del >/dev/null
  curl -s -m 20 -u guest:guest -X DELETE "http://127.0.0.1:15672/api/vhosts/$vhost" >/dev/null || true
}
trap cleanup EXIT

management() { # method path [body]; a busy broker's management API may drop a request: retried
  curl -sf --retry 10 --retry-all-errors --retry-delay 1 -m 20 -u guest:guest -X "$1" \
    -H 'content-type: application/json' ${3:+-d "$3"} "http://127.0.0.1:15672/api/$2" >/dev/null \
    || { echo "RabbitMQ's management API refused $1 $2" >&2; exit 1; }
}
management PUT "vhosts/$vhost"
management PUT "permissions/$vhost/guest" '{"configure":".*","write":".*","read":".*"}'

seed() { # gateway count
  local base="$prefix{$1}:" now_iso now_ms
  now_iso=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  now_ms=$(date +%s%3N)
  if [ "$layout" = v1 ]; then
    redis-cli --eval bench/seed-maps-v1.lua "${base}generation" "${base}ports" , "$2" 20000 "$now_iso" "$now_ms" "$base" >/dev/null
  else
    redis-cli --eval bench/seed-maps.lua "${base}maps" "${base}index" "${base}reach" "${base}generation" , \
      "$2" 20000 "$now_iso" "$now_ms" >/dev/null
  fi
}
seed bench10 10
seed bench300 300
seed bench3000 3000

# shellcheck disable=SC2086
java -Xmx512m ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" --management.server.port=$((port + 1)) \
  --spring.rabbitmq.virtual-host="$vhost" --ipam.redis-key-prefix="$prefix" --ipam.auth.dev-secret="$secret" \
  --ipam.rate-limit.enabled=false --ipam.port-min=20000 --ipam.port-max=29999 > "$log" 2>&1 &
api_pid=$!
token() { IPAM_AUTH_DEV_SECRET=$secret dev/token "$1"; }
# ready once a read answers (reads need only Redis; the healthcheck also asks the broker)
for _ in $(seq 1 90); do
  curl -sf -H "X-Auth: $(token bench10)" "http://127.0.0.1:$port/api/1/ipam/portmap" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf -H "X-Auth: $(token bench10)" "http://127.0.0.1:$port/api/1/ipam/portmap" >/dev/null || { tail -50 "$log"; exit 1; }
url() { echo "http://127.0.0.1:$port$1"; }
check() { # gateway path expected-ports
  local got
  got=$(curl -sf -H "X-Auth: $(token "$1")" "$(url "$2")" | grep -o '"target_addr"' | wc -l)
  [ "$got" -eq "$3" ] || { echo "GET $2 of $1 answered $got mappings, not $3" >&2; exit 1; }
}
check bench10 /api/1/ipam/portmap 10
check bench300 /api/1/ipam/portmap 300
check bench3000 /api/1/ipam/portmap 3000
check bench3000 "/api/1/ipam/portmap?name=g2999" 1

# warm-up: the JIT compiles the paths before anything is measured
for path in /api/1/ipam/healthcheck /api/1/ipam/portmap "/api/1/ipam/portmap?name=g7"; do
  wrk -t1 -c8 -d8s -H "X-Auth: $(token bench3000)" "$(url "$path")" >/dev/null
done

measure() { # label gateway path
  local out rps p50 p99
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "X-Auth: $(token "$2")" "$(url "$3")")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" || true)
  printf '| %s | %s | %.0f | %s | %s |%s\n' "$1" "$3" "$rps" "$p50" "$p99" "${errors:+ $errors}"
  echo "$rps" > "$results/$1"
}
results=$(mktemp -d)
echo "| request | path | req/s | p50 | p99 |"
echo "|---|---|---|---|---|"
measure healthcheck bench10 /api/1/ipam/healthcheck
measure "all, 10 maps" bench10 /api/1/ipam/portmap
measure "all, 300 maps" bench300 /api/1/ipam/portmap
measure "all, 3,000 maps" bench3000 /api/1/ipam/portmap
measure "by name, 3,000 maps" bench3000 "/api/1/ipam/portmap?name=g7"
measure "healthcheck (again)" bench10 /api/1/ipam/healthcheck
# the baseline is the mean of the healthcheck before and after, as the machine's load drifts
health=$(awk '{s += $1} END {print s / NR}' "$results/healthcheck" "$results/healthcheck (again)")
echo
for label in "all, 10 maps" "all, 300 maps" "all, 3,000 maps" "by name, 3,000 maps"; do
  awk -v l="$label" -v r="$(cat "$results/$label")" -v h="$health" 'BEGIN {printf "%s: %.1f %% of the healthcheck\n", l, 100 * r / h}'
done
echo
echo "jar: $jar (layout $layout); wrk -t$threads -c$connections -d$duration; $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# What an idle API costs per gateway it knows (issue 14: cost flat in the number of gateways):
# the CPU the API process and Redis spend per second, and Redis's commands per second, while
# nothing is requested, with no gateway (the baseline) and with BENCH_IDLE_GATEWAYS gateways,
# each holding applied maps and nothing pending. One replica; every background round runs at
# its default period. Prints its section. BENCH_API_JAR measures another build the same way.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

gateways=${BENCH_IDLE_GATEWAYS:-1000}
maps=${BENCH_IDLE_MAPS:-3}
settle=${BENCH_IDLE_SETTLE:-30}
window=${BENCH_IDLE_SECONDS:-60}
run=$(bench_run_id idle)
prefix= vhost= pid=
cleanup() {
  [[ -z $pid ]] || bench_stop "$pid"
  [[ -z $vhost ]] || bench_vhost_delete "$vhost"
  [[ -z $prefix ]] || bench_redis_clean "$prefix"
}
trap cleanup EXIT

ticks=$(getconf CLK_TCK)
api_cpu_ms() { awk -v t="$ticks" '{printf "%.0f\n", ($14 + $15) * 1000 / t}' "/proc/$1/stat"; }
redis_cpu_ms() {
  redis-cli INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.0f\n", s * 1000}'
}
redis_commands() { redis-cli INFO stats | tr -d '\r' | sed -n 's/^total_commands_processed://p'; }

seed() { # <count>: gateways known to the API, each with $maps applied maps
  local i base now_iso now_ms
  now_iso=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  now_ms=$(date +%s%3N)
  for ((i = 0; i < $1; i++)); do
    base="$prefix{idle-$i}:"
    redis-cli SADD "${prefix}gateways" "idle-$i" >/dev/null
    redis-cli --eval "$BENCH_ROOT/bench/seed-maps.lua" "${base}maps" "${base}index" "${base}reach" \
      "${base}generation" , "$maps" 50000 "$now_iso" "$now_ms" >/dev/null
  done
}

rows=()
measure() { # <gateways>: one row
  cleanup
  pid=
  prefix=$run-$1:
  vhost=$run-$1
  bench_vhost_create "$vhost"
  bench_say "seeding $1 gateways with $maps maps each"
  seed "$1"
  bench_api_start "$run-api-$1" "$prefix" "$vhost" --ipam.port-min=50000 --ipam.port-max=59999
  pid=$BENCH_API_PID
  bench_say "letting it settle for ${settle}s, then measuring ${window}s"
  sleep "$settle"
  local api0 redis0 commands0 api1 redis1 commands1
  api0=$(api_cpu_ms "$pid") redis0=$(redis_cpu_ms) commands0=$(redis_commands)
  sleep "$window"
  api1=$(api_cpu_ms "$pid") redis1=$(redis_cpu_ms) commands1=$(redis_commands)
  rows+=("$1 $(( (api1 - api0) / window )) $(( (redis1 - redis0) / window )) $(( (commands1 - commands0) / window ))")
}

measure 0
measure "$gateways"
cleanup
pid= vhost= prefix=

read -r _ base_api base_redis base_commands <<< "${rows[0]}"
read -r _ api redis commands <<< "${rows[1]}"
cat <<MD
## API idle cost per gateway

$(bench_stamp)

\`\`\`sh
bench/run --only idle
\`\`\`

The API jar (\`$BENCH_API_JAVA_OPTS\`, as in k8s), one replica, on the local Redis and RabbitMQ, asked
nothing: only its background rounds run (re-publishing pending commands, the lease sweep,
port-map metrics, whatever else it schedules), each at its default period. It knows either no
gateway (the baseline) or ${gateways} gateways, each with ${maps} applied maps and nothing pending
or leased, as a fleet at rest looks. After ${settle} s to settle, ${window} s are measured: the API
process's CPU (\`utime + stime\` from \`/proc/<pid>/stat\`), Redis's (\`used_cpu_sys + used_cpu_user\`
from \`INFO cpu\`) and the commands Redis processed (\`INFO stats\`; every client of this Redis
counts, so run it on a Redis nothing else uses).

| gateways known | API CPU ms/s | Redis CPU ms/s | Redis commands/s |
|---|---|---|---|
| 0 (baseline) | ${base_api} | ${base_redis} | ${base_commands} |
| ${gateways} | ${api} | ${redis} | ${commands} |
| difference per 1,000 gateways | $(( (api - base_api) * 1000 / gateways )) | $(( (redis - base_redis) * 1000 / gateways )) | $(( (commands - base_commands) * 1000 / gateways )) |

Parameters: \`BENCH_IDLE_GATEWAYS\` (${gateways}), \`BENCH_IDLE_MAPS\` (${maps}),
\`BENCH_IDLE_SETTLE\` (${settle}), \`BENCH_IDLE_SECONDS\` (${window}); \`BENCH_API_JAR\` measures
another build of the API the same way. Logs in \`target/bench/$run-*.log\`.
MD

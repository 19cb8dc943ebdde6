#!/usr/bin/env bash
# API create throughput with a fleet of simulated agents (issue 14): one process plays 1,000
# gateways' agents on the real broker (ipam-bench), and creates go through REST as an operator
# with a fixed number in flight, against one and then two API replicas. Baselines in the same
# run: the command/answer round trip on the broker, and a create's Redis calls, each without
# the API. Prints its section.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

gateways=${BENCH_FLEET_GATEWAYS:-1000}
creates=${BENCH_FLEET_CREATES:-2000}
# each row warms up in rounds of $warmup creates until the replicas' JIT compilers used under
# $settle % of their CPU in a round, or $warm_rounds rounds ran (ipam-bench --settle-pids)
warmup=${BENCH_FLEET_WARMUP:-2000}
warm_rounds=${BENCH_FLEET_WARM_ROUNDS:-20}
settle=${BENCH_FLEET_SETTLE_PERCENT:-10}
in_flight=${BENCH_FLEET_IN_FLIGHT:-32,128}
port_min=50000 port_max=59999 # a 10,000-port range, as in issue 14

run=$(bench_run_id fleet)
prefix=$run:
vhost=
pids=()
cleanup() {
  bench_stop "${pids[@]}"
  [[ -z $vhost ]] || bench_vhost_delete "$vhost"
  bench_redis_clean "$prefix"
  bench_say "removed the processes, vhost ${vhost:-(none)} and Redis keys $prefix*"
}
trap cleanup EXIT
# Each phase gets a fresh vhost, and every connection (API replicas, fleet) is opened before
# the fleet declares its quorum queues: a broker busy with a thousand new quorum queues can
# leave a new connection's handshake unanswered for half a minute.
phase() { # <name>: stops the previous phase's replicas and vhost, opens a new vhost
  cleanup
  pids=()
  vhost=$run-$1
  bench_vhost_create "$vhost"
}
bench_jar=$(bench_jar ipam-bench)
fleet() { # fleet|broker|redis [options]: markdown rows on stdout
  local where=(--vhost "$vhost")
  [[ $1 != redis ]] || where=()
  # shellcheck disable=SC2086 # the options are words on purpose
  java -Xmx384m $BENCH_CLIENT_JAVA_OPTS -jar "$bench_jar" "$@" "${where[@]}" --gateways "$gateways" --creates "$creates" \
    --warmup "$warmup" --warmup-rounds "$warm_rounds" --settle-percent "$settle" --in-flight "$in_flight" \
    2>> "$BENCH_LOGS/$run-ipam-bench.log"
}
urls=() rss_rows=()
replicas() { # <n>: starts n replicas on this phase's vhost and the run's prefix, notes their URLs and idle RSS
  local i
  urls=() idle=()
  for ((i = 1; i <= $1; i++)); do
    bench_api_start "$vhost-api-$i" "$prefix" "$vhost" --ipam.port-min=$port_min --ipam.port-max=$port_max
    pids+=("$BENCH_API_PID")
    urls+=("$BENCH_API_URL")
  done
  for ((i = 0; i < $1; i++)); do idle+=("$(bench_rss "${pids[$i]}" | cut -d' ' -f1)"); done
}
cpu_rows=()
log_mark=0
log_seen() { touch "$BENCH_LOGS/$run-ipam-bench.log"; log_mark=$(wc -l < "$BENCH_LOGS/$run-ipam-bench.log"); }
# note_cpu <label>: from the log lines ipam-bench wrote since the last call, this phase's warm-up
# (rounds, operations, the compilers' share in the last round) and the replicas' CPU during its
# measured rows ("measured ... cpu_s=... compilers_s=...")
note_cpu() {
  local log=$BENCH_LOGS/$run-ipam-bench.log lines
  touch "$log"
  lines=$(tail -n +$((log_mark + 1)) "$log")
  log_mark=$(wc -l < "$log")
  cpu_rows+=("$(awk -v label="$1" '
    /warm-up settled=/ {for (i = 1; i <= NF; i++) {split($i, kv, "="); w[kv[1]] = kv[2]}
      ops += w["operations"]; rounds = rounds (rounds == "" ? "" : ", ") w["rounds"] (w["settled"] == "true" ? "" : " (unsettled)")
      last = last (last == "" ? "" : ", ") w["compilers_percent"] " %"}
    /\[ipam-bench\] measured in_flight=/ {for (i = 1; i <= NF; i++) {split($i, kv, "="); m[kv[1]] = kv[2]}
      n += m["operations"]; cpu += m["cpu_s"]; jit += m["compilers_s"]}
    END {printf "| %s | %d (%s) | %s | %d | %.2f | %.2f (%.0f %%) | %.2f |", label, ops, rounds, last, n, cpu, jit,
      (cpu > 0 ? 100 * jit / cpu : 0), (n > 0 ? 1000 * cpu / n : 0)}' <<< "$lines")")
}
note_rss() { # <replicas>: a row per replica of this phase: idle, after the load, peak
  local i now peak
  for ((i = 0; i < ${#pids[@]}; i++)); do
    read -r now peak < <(bench_rss "${pids[$i]}")
    rss_rows+=("| ipam-api, replica $((i + 1)) of $1 | ${idle[$i]} | $now | $peak |")
  done
}

phase broker
bench_say "fleet: baseline, the broker alone ($gateways agent queues; declaring them takes a while)"
broker_rows=$(fleet broker --label 'baseline: broker alone')
bench_say "fleet: baseline, Redis alone (the API's scripts from its jar)"
scripts=$BENCH_LOGS/$run-scripts
mkdir -p "$scripts"
unzip -q -o "$(bench_jar ipam-api)" 'BOOT-INF/classes/redis/*' -d "$scripts"
scripts=$scripts/BOOT-INF/classes/redis # with lib/, whose functions the API prepends to scripts
redis_rows=$(fleet redis --key-prefix "${prefix}redis-baseline:" --scripts "$scripts" --port-min $port_min \
  --port-max $port_max --label 'baseline: Redis alone')

token=$(bench_token bench)
phase one
replicas 1
bench_say "fleet: one replica"
log_seen # the baselines' lines are not the replicas'
one_rows=$(fleet fleet --api "${urls[0]}" --token "$token" --label 'API, 1 replica' --settle-pids "${pids[0]}")
note_cpu "1 replica"
note_rss 1
phase two
replicas 2
bench_say "fleet: two replicas"
two_rows=$(fleet fleet --api "${urls[0]},${urls[1]}" --token "$token" --label 'API, 2 replicas' \
  --settle-pids "${pids[0]},${pids[1]}")
note_cpu "2 replicas (both)"
note_rss 2

# rate of the row whose in-flight column is $2, from rows $1
rate() { awk -F'|' -v n="$2" '$3 + 0 == n {gsub(/ /, "", $6); print $6}' <<< "$1"; }

cat <<EOF
## API create throughput (fleet simulation)

$(bench_stamp)

\`ipam-bench\` plays $gateways gateways' agents in one process (one connection and 4 channels
consuming the $gateways quorum queues \`ipam.agent.<id>\`, declared and bound as the agent does;
each command answered at once through the services' \`ConfirmingPublisher\`, no firewall
touched), after one heartbeat per gateway. Creates are \`POST /api/1/ipam/portmap?gateway=<id>\`
as an operator, round-robin over the gateways and the replicas, with a fixed number in
flight; a create counts when answered 200 (the agent's answer recorded), and its latency is
to that answer. Each row warms up (below), then $creates are measured. The API is the
jar (\`$BENCH_API_JAVA_OPTS\`, as in k8s), rate limit off, a $((port_max - port_min + 1))-port
range, on the local Redis and RabbitMQ; each phase (broker, 1 replica, 2 replicas) has a
fresh vhost and key space, removed afterwards. Two baselines without the API: the broker alone does the same round trip (\`portmap.requested\` published
with confirm and mandatory flag to the fleet, its \`portmap.applied\` consumed from a quorum
queue bound as the API's events queue); Redis alone makes a create's Redis calls from one
bare client connection (the gateway's record, \`SADD\`, the API's own create and confirm
scripts, read from its jar) with the same number in flight. On a 2-core machine the second
replica shares the two cores with the first, the fleet, the broker and Redis, so the
2-replica rows show what coordinating replicas costs, not what scaling out gains.

Inside the API a create is, in series: the gateway's record read (with the broker probe
alongside), \`SADD\` and the create script, the command published and its confirm awaited,
then the agent's answer through the broker to the events queue, where one of the replica's
\`ipam.event-consumers\` consumers (default 16; each waits on one Redis script) records it
and completes the waiting request at once (other replicas hear of it over Redis pub/sub).

| path | in flight | creates ok | failed | creates/s | p50 ms | p99 ms |
|---|---|---|---|---|---|---|
$broker_rows
$redis_rows
$one_rows
$two_rows

Creates/s as a fraction of each baseline's round trips/s at the same concurrency:

| in flight | 1 replica ÷ broker | 1 replica ÷ Redis | 2 replicas ÷ broker | 2 replicas ÷ Redis |
|---|---|---|---|---|
$(for n in ${in_flight//,/ }; do
  awk -v n="$n" -v b="$(rate "$broker_rows" "$n")" -v r="$(rate "$redis_rows" "$n")" \
    -v one="$(rate "$one_rows" "$n")" -v two="$(rate "$two_rows" "$n")" \
    'BEGIN {printf "| %d | %.2f | %.2f | %.2f | %.2f |\n", n, one / b, one / r, two / b, two / r}'
done)

Each row warms up first: rounds of $warmup creates until the replicas' JIT compilers (their
C1 and C2 threads) used under $settle % of the replicas' CPU in a round, at most $warm_rounds rounds
(\`ipam-bench --settle-pids\`). On two cores a replica's C2 compiler was still busy after
6,000 creates, a third of its CPU (2026-12-06, sampled by thread): rows after a fixed warm-up of
4,000 measured 172–312 creates/s at 32 in flight that day, and 688 after 24,000. The replicas'
CPU (user and system, from \`/proc/<pid>/stat\`, the compilers' from their threads' \`task/*/stat\`) during the measured rows only, divided
by their creates; it also holds what the replicas did meanwhile besides creates (the fleet's
heartbeats, background rounds), so it is an upper bound:

| API | warm-up creates (rounds, per row) | compilers' share in each row's last round | measured creates | CPU s | of which the JIT compilers, s | CPU ms per create |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${cpu_rows[@]}")

Since 2026-12-05 18:00 UTC the creates come from \`KeepAliveHttp\` (one keep-alive socket per
request in flight, written and read as wrk does) instead of the JDK's \`HttpClient\`, which took
1.5–1.8 ms of the same two CPUs per request: one replica at 32 in flight went from 375
creates/s (09:16, the JDK client) to 547 (18:42). The client competed with the API for the
cores; the API did not get cheaper.

API memory, resident set in MiB (\`bench_rss\`: ZGC's heap counted once; idle: ready, before any
request; after: when the load ended; peak: VmHWM):

| replica | idle | after load | peak |
|---|---|---|---|
$(printf '%s\n' "${rss_rows[@]}")

Parameters: \`BENCH_FLEET_GATEWAYS\` ($gateways), \`BENCH_FLEET_CREATES\` ($creates),
\`BENCH_FLEET_WARMUP\` ($warmup, a round), \`BENCH_FLEET_WARM_ROUNDS\` ($warm_rounds),
\`BENCH_FLEET_SETTLE_PERCENT\` ($settle), \`BENCH_FLEET_IN_FLIGHT\` ($in_flight). This section
alone: \`bench/run --only fleet\`; logs in \`target/bench/$run-*.log\`.
EOF

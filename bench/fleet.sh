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
warmup=${BENCH_FLEET_WARMUP:-4000}
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
    --warmup "$warmup" --in-flight "$in_flight" 2>> "$BENCH_LOGS/$run-ipam-bench.log"
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
# CPU seconds the replicas of this phase used so far (user and system)
api_cpu() {
  local pid ticks=0
  for pid in "${pids[@]}"; do ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}'
}
# the part of it the JIT's compiler threads used (their names start "C1 Compiler" or "C2 Compiler")
api_jit() {
  local pid task ticks=0
  for pid in "${pids[@]}"; do
    for task in /proc/"$pid"/task/*; do
      [[ $(cat "$task/comm" 2>/dev/null) == C[12]\ Compiler* ]] || continue
      # the thread's name holds a space: count stat's fields after its closing parenthesis
      ticks=$((ticks + $(sed 's/.*) //' "$task/stat" | awk '{print $12 + $13}')))
    done
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}'
}
rows_per_phase=$(tr ',' '\n' <<< "$in_flight" | wc -l)
cpu_rows=()
note_cpu() { # <label> <cpu seconds before> <jit seconds before>: the phase's API CPU per create (warm-up creates included)
  local used jit now
  now=$(api_cpu)
  used=$(awk -v a="$now" -v b="$2" 'BEGIN {printf "%.1f", a - b}')
  jit=$(awk -v a="$(api_jit)" -v b="$3" 'BEGIN {printf "%.1f", a - b}')
  cpu_rows+=("| $1 | $((rows_per_phase * (warmup + creates))) | $used | $jit ($(awk -v j="$jit" -v u="$used" \
    'BEGIN {printf "%.0f", (u > 0 ? 100 * j / u : 0)}') %) | $(awk -v u="$used" \
    -v n="$((rows_per_phase * (warmup + creates)))" 'BEGIN {printf "%.2f", 1000 * u / n}') |")
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
cpu_before=$(api_cpu) jit_before=$(api_jit)
one_rows=$(fleet fleet --api "${urls[0]}" --token "$token" --label 'API, 1 replica')
note_cpu "1 replica" "$cpu_before" "$jit_before"
note_rss 1
phase two
replicas 2
bench_say "fleet: two replicas"
cpu_before=$(api_cpu) jit_before=$(api_jit)
two_rows=$(fleet fleet --api "${urls[0]},${urls[1]}" --token "$token" --label 'API, 2 replicas')
note_cpu "2 replicas (both)" "$cpu_before" "$jit_before"
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
to that answer. $warmup creates warm up each row, then $creates are measured. The API is the
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

The API's CPU (user and system, from \`/proc/<pid>/stat\`) from the fleet's start to its end
in each phase, divided by the phase's creates (warm-up included); it also holds what the
replicas did meanwhile besides creates (the fleet's heartbeats, background rounds), so it is an
upper bound. Part of it is the JIT's compiler threads (C1 and C2) still compiling the create
path, which they did throughout the load on 2026-12-06 (35 % of the API's CPU in a run
sampled by thread, 172–312 creates/s that day against 547 the day before: a slower machine
and a JIT that had not settled), so the last column overstates what a create costs a service
that has run for hours:

| API | creates | CPU s | of which the JIT compilers, s | CPU ms per create |
|---|---|---|---|---|
$(printf '%s\n' "${cpu_rows[@]}")

Since 2026-12-05 18:00 UTC the creates come from \`KeepAliveHttp\` (one keep-alive socket per
request in flight, written and read as wrk does) instead of the JDK's \`HttpClient\`, which took
1.5–1.8 ms of the same two CPUs per request: one replica at 32 in flight went from 375
creates/s (09:16, the JDK client) to 547 (18:42), and the API's own CPU per create stayed at
3.2–3.3 ms. The client competed with the API for the cores; the API did not get cheaper.

A create's CPU falls as the JIT compiles its path: on 2026-12-05, one replica measured 8.0,
4.8 and 2.9 ms per create over three runs of 4,400 creates one after the other (147, 183 and
237 creates/s at 32 in flight), against 0.3–0.6 ms of CPU per healthcheck (wrk, 32 connections). Rows warmed up by 400
creates, as this section was before that day, measured mostly the JIT's warm-up; the
warm-up is now $warmup creates per row.

API memory, resident set in MiB (\`bench_rss\`: ZGC's heap counted once; idle: ready, before any
request; after: when the load ended; peak: VmHWM):

| replica | idle | after load | peak |
|---|---|---|---|
$(printf '%s\n' "${rss_rows[@]}")

Parameters: \`BENCH_FLEET_GATEWAYS\` ($gateways), \`BENCH_FLEET_CREATES\` ($creates),
\`BENCH_FLEET_WARMUP\` ($warmup), \`BENCH_FLEET_IN_FLIGHT\` ($in_flight). This section
alone: \`bench/run --only fleet\`; logs in \`target/bench/$run-*.log\`.
EOF

#!/usr/bin/env bash
# End to end (issue 14): POST -> rule applied -> 200, from outside, through REST, with the real
# firewall agent jar (and the gateway's health worker and log forwarder) in a gateway network
# namespace, a 10,000-port range and no rate limit; one change at a time with 10 and 1,010 maps
# on the gateway, and 1,000 creates at 32 in flight, against the healthcheck's round trip and the
# iptables baselines (naive `iptables -A` per rule, one iptables-restore of every map) in the same
# run; and every service's resident memory, idle and under load. Root: network namespaces,
# iptables. Prints its section; progress on stderr.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
backend=${1:-iptables} # bench/e2e-nft.sh: the agents on their nftables backend
[[ $(id -u) == 0 ]] || { bench_say "e2e: run me as root (network namespaces, iptables)"; exit 1; }

cycles=${BENCH_E2E_CYCLES:-1000}
# create/delete cycles per gateway, unmeasured, before the measured ones: bench-few's agent has seen
# only its 10 seed creates by then, and with 20 warm-up cycles its create path was still being compiled
# (2026-12-06: a create 14 ms p50 command -> answer after 40 commands, 8.6 ms after 1,000, bench/agent.sh)
warmup=${BENCH_E2E_WARMUP:-300}
creates=${BENCH_E2E_CREATES:-1000}
# Before the cycles and the warm burst, creates each followed by the removal of what it made, at $in_flight
# in flight on both gateways (so each keeps its maps), in rounds of $warm_round until the JIT compilers of
# the API and both agents used under $settle % of their CPU in a round, or $warm_rounds rounds ran: on two
# cores the API's C2 compiler was still busy after 6,000 creates (a third of its CPU; the fleet section),
# and 7,500 kept creates before a warm burst filled the gateway to 8,500 maps instead.
warm_round=${BENCH_E2E_WARM_ROUND:-1000}
warm_rounds=${BENCH_E2E_WARM_ROUNDS:-20}
settle=${BENCH_E2E_SETTLE_PERCENT:-10}
in_flight=${BENCH_E2E_IN_FLIGHT:-32}
log_lines=${BENCH_E2E_LOG_LINES:-200000}
# As in k8s/*.yaml: MaxRAMPercentage=75 of a gateway service's 512 MiB memory limit.
gateway_java_opts=${BENCH_GATEWAY_JAVA_OPTS:--Xmx384m}
port_min=50000 port_max=59999 # a 10,000-port range, as in issue 14

run=$(bench_run_id e2e)
prefix=$run: vhost=$run
dir=$BENCH_LOGS/$run
mkdir -p "$dir/log-state"
few=bench-few many=bench-many # the gateways: one keeps 10 maps, the other gets 1,010
base=b$$-base
subnet=10.253.$(($$ % 120)) # /30s from the host to the gateways, for the broker's relays
pids=()
cleanup() {
  set +e
  bench_stop "${pids[@]}"
  for ns in "b$$-$few" "b$$-$many" "$base"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9; ip netns del "$ns" 2>/dev/null
  done
  ip link del "b$$${few#bench-}" 2>/dev/null; ip link del "b$$${many#bench-}" 2>/dev/null
  bench_vhost_delete "$vhost"
  bench_redis_clean "$prefix"
  bench_say "removed the processes, namespaces b$$-*, vhost $vhost and Redis keys $prefix*"
}
trap cleanup EXIT

bench_vhost_create "$vhost"
bench_api_start "$run-api" "$prefix" "$vhost" --ipam.port-min=$port_min --ipam.port-max=$port_max
pids+=("$BENCH_API_PID")
api=$BENCH_API_URL
token=$(bench_token bench)
ip netns add "$base"

declare -A pid_of relay_of
# namespace <gateway> <host /30 address>: the gateway's namespace, a link to the host, a relay to the broker
namespace() {
  local gw=b$$-$1 link=b$$${1#bench-} host=$2 # a link name has at most 15 characters
  bench_say "e2e: gateway $1 in namespace $gw (wan 203.0.113.1, lan 192.168.1.1, the broker through $host)"
  ip netns add "$gw"; ip -n "$gw" link set lo up
  ip link add "$link" type veth peer name mgmt netns "$gw"
  ip addr add "$host/30" dev "$link"; ip link set "$link" up
  ip -n "$gw" addr add "${host%.*}.$((${host##*.} + 1))/30" dev mgmt; ip -n "$gw" link set mgmt up
  for side in wan:203.0.113.1/24 lan:192.168.1.1/24; do # veth pairs with nothing behind them (no dummy module needed)
    ip -n "$gw" link add "${side%%:*}" type veth peer name "${side%%:*}-peer"
    ip -n "$gw" addr add "${side#*:}" dev "${side%%:*}"
    ip -n "$gw" link set "${side%%:*}" up; ip -n "$gw" link set "${side%%:*}-peer" up
  done
  ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
  relay_of[$1]=$host:$(bench_free_port)
  socat "TCP-LISTEN:${relay_of[$1]#*:},bind=$host,fork,reuseaddr" TCP:127.0.0.1:5672 & pids+=($!)
}
# on_gateway <gateway> <service> <management port> [VAR=value ...]: the service's jar in the gateway's namespace
on_gateway() {
  local gateway=$1 service=$2 port=$3
  shift 3
  # shellcheck disable=SC2086 # the options are words on purpose
  ip netns exec "b$$-$gateway" env SPRING_RABBITMQ_HOST="${relay_of[$gateway]%:*}" \
    SPRING_RABBITMQ_PORT="${relay_of[$gateway]#*:}" SPRING_RABBITMQ_VIRTUAL_HOST="$vhost" IPAM_GATEWAY_ID="$gateway" \
    VLAB_PORT_MIN=$port_min VLAB_PORT_MAX=$port_max "$@" \
    java $gateway_java_opts -jar "$(bench_jar "$service")" --management.server.port="$port" \
    > "$dir/$gateway-$service.log" 2>&1 &
  pids+=($!)
  pid_of[$gateway/$service]=$!
}
up() { # <gateway> <management port>
  for _ in $(seq 1 180); do
    ip netns exec "b$$-$1" curl -fs "http://127.0.0.1:$2/actuator/health" 2>/dev/null | grep -q '"UP"' && return
    sleep 1
  done
  bench_say "the service on $2 in b$$-$1 is not UP; logs in $dir"
  return 1
}
listing() { curl -fs -H "X-Auth: $token" "$api/api/1/ipam/portmap?gateway=$1"; }
registered() { # <gateway>: the agent's heartbeat told the API the gateway's WAN address
  for _ in $(seq 1 60); do listing "$1" | grep -q '"gateway_ip":"203.0.113.1"' && return; sleep 1; done
  bench_say "the API never heard $1's heartbeat; logs in $dir"
  return 1
}
namespace $few "$subnet.1"
namespace $many "$subnet.5"
agent_env=(IPAM_WAN_INTERFACE=wan IPAM_LAN_CIDRS=192.168.1.0/24 IPAM_FIREWALL_BACKEND="$backend")
on_gateway $few firewall-agent 18091 "${agent_env[@]}"
on_gateway $many firewall-agent 18091 "${agent_env[@]}"
on_gateway $many health-worker 18092 IPAM_PROBE_PERIOD=30s IPAM_PROBE_TIMEOUT=1s
touch "$dir/firewall.log"
on_gateway $many log-forwarder 18093 IPAM_LOG_FILE="$dir/firewall.log" IPAM_LOG_STATE_DIR="$dir/log-state"
pid_of[ipam-api]=$BENCH_API_PID
up $few 18091; up $many 18091; up $many 18092; up $many 18093
registered $few; registered $many
sleep 10 # settled: start-up work done
declare -A idle loaded
for service in "${!pid_of[@]}"; do idle[$service]=$(bench_rss "${pid_of[$service]}" | cut -d' ' -f1); done

bench_jar=$(bench_jar ipam-bench)
bench() { # <benchmark> [options]: markdown rows on stdout
  # shellcheck disable=SC2086 # the options are words on purpose
  java -Xmx256m $BENCH_CLIENT_JAVA_OPTS -jar "$bench_jar" "$@" --api "$api" 2>> "$dir/ipam-bench.log"
}
maps() { listing "$1" | grep -o '"target_addr"' | wc -l; }
addresses() { listing "$1" | grep -o '"target_addr":"[^"]*"' | sort -u | wc -l; }
bench_say "e2e: healthcheck, one at a time"
health_one=$(bench healthcheck --in-flight 1 --warmup 200 --creates 1000 --label 'healthcheck (the floor of a request)')
bench_say "e2e: 10 maps on each gateway, then $creates creates at $in_flight in flight on $many, and the healthcheck so"
bench creates --token "$token" --gateway $few,$many --in-flight 1 --warmup 0 --creates 20 --label seed >/dev/null
health_many=$(bench healthcheck --in-flight "$in_flight" --warmup 500 --creates 2000 --label 'healthcheck (the floor of a request)')
# depths: until stopped, the most messages each of the run's queues held, sampled every second from
# the management API (whose figures are a few seconds old), written to $dir/queue-depths; run it in
# the background only (it becomes the python process, so that stopping its pid stops it)
depths() {
  exec python3 - "$vhost" "$dir/queue-depths" <<'PY'
import base64, json, sys, time, urllib.parse, urllib.request
vhost, out = sys.argv[1], sys.argv[2]
request = urllib.request.Request(
    "http://127.0.0.1:15672/api/queues/" + urllib.parse.quote(vhost, safe="") + "?columns=name,messages",
    headers={"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()})
most = {}
while True:
    try:
        for queue in json.load(urllib.request.urlopen(request, timeout=2)):
            most[queue["name"]] = max(most.get(queue["name"], 0), queue.get("messages") or 0)
        with open(out, "w") as f:
            f.write("".join(f"{name} {count}\n" for name, count in sorted(most.items())))
    except Exception:
        pass
    time.sleep(1)
PY
}
depth() { awk -v q="$1" '$1 == q {print $2}' "$dir/queue-depths" 2>/dev/null | grep . || echo 0; }
program=iptables-restore restore_program=iptables-restore
[[ $backend == iptables ]] || program=nft restore_program="nft -f"
transactions() { grep -c "$program transaction" "$dir/$many-firewall-agent.log" || true; }
# burst <name> <label>: $creates creates at $in_flight in flight on $many; its row in $dir/<name>.row,
# every process's CPU before and after it in $dir/<name>.before and .after (bench/cpu.py)
burst() {
  python3 bench/cpu.py snapshot "$dir/$1.before"
  bench creates --token "$token" --gateway $many --in-flight "$in_flight" --warmup 0 --creates "$creates" \
    --label "$2" > "$dir/$1.row"
  python3 bench/cpu.py snapshot "$dir/$1.after"
}
known=(API="${pid_of[ipam-api]}" "firewall-agent ($many)=${pid_of[$many/firewall-agent]}"
  "firewall-agent ($few)=${pid_of[$few/firewall-agent]}" "health-worker ($many)=${pid_of[$many/health-worker]}"
  "log-forwarder ($many)=${pid_of[$many/log-forwarder]}" "client (ipam-bench)=children:$$") # for bench/cpu.py
before=$(transactions)
depths & sampler=$!
pids+=("$sampler")
burst cold "$creates creates kept on $many, from 10 maps, cold: POST → 200"
bench_stop "$sampler"
burst_transactions=$(($(transactions) - before))
burst=$(cat "$dir/cold.row")
few_maps=$(maps $few) many_maps=$(maps $many)
bench_say "e2e: warm-up, create then delete at $in_flight in flight until the JIT settles (rounds of $warm_round)"
churn=$(bench churn --token "$token" --gateway $few,$many --in-flight "$in_flight" --warmup "$warm_round" \
  --warmup-rounds "$warm_rounds" --settle-pids "${pid_of[ipam-api]},${pid_of[$few/firewall-agent]},${pid_of[$many/firewall-agent]}" \
  --settle-percent "$settle" --creates "$warm_round" --label "create then delete, $few and $many taking turns, warm")
# "... warm-up settled=<bool> rounds=<n> operations=<n> compilers_percent=<x> pids=[...]"
read -r settled warm_ops compilers < <(sed -n 's/.*warm-up settled=\([a-z]*\) rounds=[0-9]* operations=\([0-9]*\) compilers_percent=\([0-9.]*\).*/\1 \2 \3/p' \
  "$dir/ipam-bench.log" | tail -1)
bench_say "e2e: $cycles create/delete cycles on each, $few ($few_maps maps) and $many ($many_maps maps) taking turns"
cycle_rows=$(bench cycles --token "$token" --gateway $few,$many --warmup "$warmup" --creates "$cycles" --label '' \
  | sed "s/| $few:/| $few_maps maps ($few):/; s/| $many:/| $many_maps maps ($many):/")

bench_say "e2e: baselines in namespace $base with the rules of $many's $many_maps maps"
if [[ $backend == iptables ]]; then
  ip netns exec "b$$-$many" iptables-save > "$dir/rules.save"
  rules=$(grep -c '^-A VLAB-IPAM' "$dir/rules.save")
else
  # the agent's table as nft lists it, made a transaction that replaces it
  { echo "add table ip vlab_ipam"; echo "delete table ip vlab_ipam"; ip netns exec "b$$-$many" nft list table ip vlab_ipam; } \
    > "$dir/rules.nft"
  rules=$(grep -c 'comment "vlab-ipam:' "$dir/rules.nft")
fi
warm_from=$(maps $many)
bench_say "e2e: $creates more creates at $in_flight in flight on $many, every service warm (the baselines use the rules before them)"
before=$(transactions)
burst warm "$creates more creates on $many, from $warm_from maps, warm: POST → 200"
warm_transactions=$(($(transactions) - before))
warm_burst=$(cat "$dir/warm.row")
loaded_maps=$(maps $many) # what $many holds when its services' memory under load is read
for service in ipam-api $few/firewall-agent $many/firewall-agent $many/health-worker; do
  loaded[$service]=$(bench_rss "${pid_of[$service]}" | cut -d' ' -f1)
done
# seconds <command...>: wall time of one run, in seconds
seconds() { local t0; t0=$(date +%s%N); "$@" > /dev/null; awk -v d=$(($(date +%s%N) - t0)) 'BEGIN {printf "%.3f", d / 1e9}'; }
restores=()
if [[ $backend == iptables ]]; then
  for _ in 1 2 3 4 5; do restores+=("$(seconds ip netns exec "$base" iptables-restore "$dir/rules.save")"); done
else
  for _ in 1 2 3 4 5; do restores+=("$(seconds ip netns exec "$base" nft -f "$dir/rules.nft")"); done
fi
restore=$(printf '%s\n' "${restores[@]}" | sort -n | sed -n 3p)
naive=
if [[ $backend == iptables ]]; then
  # the naive way: the agent's chains made empty, then one iptables process per rule, inside the namespace
  awk '/^\*/ {table = substr($1, 2)} /^:VLAB-IPAM/ {print "iptables -w -t " table " -N " substr($1, 2)}
       /^-A VLAB-IPAM/ {print "iptables -w -t " table " " $0}' "$dir/rules.save" > "$dir/naive.sh"
  ip netns del "$base"; ip netns add "$base"
  naive=$(seconds ip netns exec "$base" bash -e "$dir/naive.sh")
fi

bench_say "e2e: the log forwarder forwards $log_lines lines"
line='VLABFWD:50001 IN=wan OUT=lan SRC=198.51.100.7 DST=192.168.1.20 LEN=60 TOS=00 PREC=0x00 TTL=63 ID=22790 DF PROTO=TCP SPT=42372 DPT=22 SEQ=771117316 ACK=0 WINDOW=64240 SYN URGP=0 MARK=0x0'
forwarded() { rabbitmqctl -q list_queues -p "$vhost" name messages 2>/dev/null | awk '$1 == "vlab.firewall.forward" {print $2}'; }
started=$(date +%s%N)
awk -v n="$log_lines" -v line="$line" -v when="$(date '+%b %e %H:%M:%S')" \
  'BEGIN {for (i = 0; i < n; i++) print when " bench-gw " line}' >> "$dir/firewall.log"
batches=$(((log_lines + 499) / 500)) logs_rss=
for _ in $(seq 1 600); do
  got=$(forwarded); got=${got:-0}
  [[ -n $logs_rss ]] || ((got < batches / 2)) || logs_rss=$(bench_rss "${pid_of[$many/log-forwarder]}" | cut -d' ' -f1)
  ((got < batches)) || break
  sleep 0.5
done
((got >= batches)) || { bench_say "the log forwarder published $got of $batches batches"; exit 1; }
lines_per_s=$(awk -v n="$log_lines" -v d=$(($(date +%s%N) - started)) 'BEGIN {printf "%.0f", n / (d / 1e9)}')
loaded[$many/log-forwarder]=$logs_rss

# col <rows> <label part> <field>: a field of the row whose label holds the part: per s (6), p50 (7), p99 (8)
col() { awk -F'|' -v l="$2" -v c="$3" 'index($2, l) {gsub(/ /, "", $c); print $c}' <<< "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
create_ratio50=$(ratio "$(col "$cycle_rows" "($many): POST" 7)" "$(col "$cycle_rows" "($few): POST" 7)")
create_ratio=$(ratio "$(col "$cycle_rows" "($many): POST" 8)" "$(col "$cycle_rows" "($few): POST" 8)")
naive_rate=
[[ -z $naive ]] || naive_rate=$(ratio "$many_maps" "$naive" | cut -d. -f1)
restore_rate=$(ratio "$many_maps" "$restore" | cut -d. -f1)
agent_rows() { # a memory row per service: idle, under load, peak
  local service name peak
  for service in ipam-api $few/firewall-agent $many/firewall-agent $many/health-worker $many/log-forwarder; do
    read -r _ peak < <(bench_rss "${pid_of[$service]}")
    name=${service#*/}
    case $service in
      $few/firewall-agent) name="firewall-agent ($few, $few_maps maps)" ;;
      $many/firewall-agent) name="firewall-agent ($many, $loaded_maps maps)" ;;
    esac
    printf '| %s | %s | %s | %s |\n' "$name" "${idle[$service]}" "${loaded[$service]}" "$peak"
  done
}

# reading: how to read the section; the iptables run explains its figures at length
reading() {
  if [[ $backend != iptables ]]; then
    cat <<NFT
How to read it: a run on the same machine as the iptables section above, with both agents on their nftables
backend (\`IPAM_FIREWALL_BACKEND=nftables\`); that section explains the rows. A mapping is two
elements and, unless its port had one, a log rule in its block's chain, so a create's commit
does not grow with the number of maps (firewall-agent/README.md, *Log blocks*). The baseline
replaces the agent's whole table with one \`nft -f\` of what \`nft list table\` printed; there
is no naive one-process-per-rule row, since nftables' own tool is a transaction.
NFT
    return
  fi
  cat <<IPT
How to read it, whatever the figures of a run:

- The machine may be shared with other builds: the load average in the stamp above was
  measured as the section ended and counts the benchmark's own processes too (6–10 on two CPUs
  with nothing else running), so it compares only rows of this table with one another; the
  CPU table's "other" row shows what else ran during the bursts.
- Runs differ by machine too. From 2026-12-06 16:30 UTC the runs were on a machine with
  \`rcu_expedited\` on, where a removal's \`conntrack -D\` does not wait for a
  grace period: at 17:03 UTC a create with 1010 maps was 1.19× the one with 10 at p50 (8.9
  and 10.6 ms), against 1.29–1.43× earlier on another machine. From 19:00 UTC they ran on one
  with it off and nothing else running: 1.29× (6.8 and 8.8 ms) at 19:10 and 1.22× (8.3 and
  10.1 ms) at 19:34, against 1.01× with the nftables backend at 19:18 (the section below).
- The warm burst is bound by the two CPUs. In those runs from 19:00 UTC it made 448 and 533
  maps/s with iptables and 558 with nftables, every create costing 3.8–4.5 ms of CPU over all
  processes (the busy row, over 1,000 creates): the API 1.0–1.2 ms, the broker 1.0–1.2, the
  client 0.6–0.7 (its JVM's start included), the agent with its \`iptables-restore\` 0.8–0.9
  (with \`nft\`: 0.74). At 16:58 and 17:12 UTC, on the \`rcu_expedited\` machine, it made 410 and 396.
- A create's p50 minus the healthcheck's is what a create adds to any request: auth, the
  API's two Redis scripts, the command's and the answer's broker hops, the agent's
  transaction (written to its long-lived \`iptables-restore\`). The agent's own share (command → answer, without HTTP and the
  API) is the "Firewall agent" section's; what is left is the API's.
- What grows with the number of maps is a create's commit, not the agent's or the API's work:
  nf_tables validates every rule reachable from the hooks at each commit that adds rules, and
  a deletion asks for none (the "Firewall agent" section measured it: about 2 ms more per
  create at 1,010 maps, from the API's receipt to the agent's commit, 65 % of
  \`iptables-restore\`'s time in \`nft_chain_validate\`). With the services warm that is the
  whole gap between the two rows' p50 (2026-12-06: 6.4 against 8.7 ms, 8.3 against 10.8).
- A removal costs more than a create, as the "Firewall agent" section explains: the agent
  clears the mapping's conntrack sessions before it answers. Since 2026-12-06 it no longer
  grows with the number of maps (mappings live in block chains of 100 connection ports, and
  iptables-nft reads only the blocks a change touches): at 02:08 UTC a removal with 1010 maps
  took 47.4 ms p50 against 27.2 ms with 10, at 04:42 UTC 28.5 ms against 30.5 ms.
- Each removal's \`conntrack -D\` waits at its exit for nf_tables' destruction of the rules
  just deleted, about a grace period (the "Firewall agent" section's findings). Until
  2026-12-06 13:30 UTC a transaction that closed several mappings ran their \`conntrack\`
  processes one after another, and the sync loop waited for the sum; now up to 8 run at
  once. The row "create then delete" made 92 cycles/s, p99 608 ms, at 10:30 UTC and 105
  cycles/s, p99 426 ms, at 13:38 UTC.
- Until 2026-12-06 the cycles had 20 warm-up cycles each, and \`$few\`'s agent, which has seen
  only its 10 seed creates before them, was measured while the JIT compiled its path: creates
  took 16.2–18.4 ms p50 then, and 12.9 ms at 07:40 UTC and 15.2 ms at 07:54 (load average 6,
  right after another benchmark) with 300 warm-up cycles (the "Firewall agent" section traced it).
- The cold burst is the first concurrent work the API and \`$many\`'s agent see, so it includes
  their JIT compiling that path. Then comes the warm-up: creates each followed by the removal
  of what it made, $in_flight in flight, the gateways taking turns, so each keeps its maps; in
  rounds of $warm_round until the JIT compilers of the API and both agents used under $settle % of
  their CPU in a round (\`ipam-bench churn --settle-pids\`). This run: $warm_ops of them, settled:
  $settled, the compilers at $compilers % in the last round; the row "create then delete" is the
  $warm_round after it. The cycles and the warm burst follow, and are what a running service does.
  Until 2026-12-06 the warm burst followed the cycles and some thousands of kept creates:
  after 3,000 the API still compiled its path (3–4.75 ms of CPU per create in the burst), and
  after 7,500 (09:53 UTC) the API spent 1.74 ms but \`iptables-restore\` 20 ms per transaction
  on a gateway of 8,500 maps. \`$many\`'s agent applied the
  cold burst in $burst_transactions \`iptables-restore\` transactions ($(ratio "$creates" "$burst_transactions") commands each on average)
  and the warm one in $warm_transactions ($(ratio "$creates" "$warm_transactions")), where 32 in flight would allow up to 32 (a
  sync takes in every command that arrived while the previous one ran). During the cold burst
  the agent's command queue held up to $(depth "ipam.agent.$many") messages and the API's events queue
  (\`ipam.api.events\`: the agents' answers, the health worker's verdicts, heartbeats) up to
  $(depth ipam.api.events) (the management API's figures, sampled every second but refreshed by the broker every 5 s, so a short burst can show 0; delivered but unacknowledged
  messages count too). A create answers 200 only once its answer went through that queue
  (\`EventsListener\`, up to \`IPAM_EVENT_CONSUMERS\` consumers): a backlog there is time every
  create waits after its rule is in place.
- The CPU table says who holds the two cores while creates queue: each create costs the
  API's HTTP, auth, Redis and broker work, the broker's two messages with their confirms,
  the agent's consumer and transaction, and the client's own request; the fleet section
  measures the API alone against simulated agents, and the broker alone. Before 2026-12-05
  the health worker had a queue of its own that took a third copy of every answer (and so a
  share of the broker's row and 1.9–2.5 s of its own per burst); it now asks for a snapshot
  before each probe cycle instead (docs/decisions.md, "Health worker: a snapshot per cycle").
IPT
}

if [[ $backend == iptables ]]; then
  title="End to end: POST → rule applied → 200" section=e2e firewall_desc="iptables ($(iptables -V))"
  saved="\`iptables-save\`: $rules rules in the agent's chains for $many_maps maps): one \`iptables-restore\` of them all (median of 5), and one
\`iptables -A\` process per rule."
  naive_row="| baseline: one \`iptables -A\` per rule ($rules processes, $naive s) | 1 | $many_maps maps | 0 | $naive_rate | | |"$'\n'
  naive_text="$naive_rate maps/s for one \`iptables -A\` per rule and "
else
  title="End to end, nftables backend: POST → rule applied → 200" section=e2e-nft
  firewall_desc="nftables ($(nft --version)), each agent with \`IPAM_FIREWALL_BACKEND=nftables\`"
  saved="\`nft list table\`: $rules rules and elements of mappings for $many_maps maps): one \`nft -f\` replacing the table with them all (median of 5)."
  naive_row= naive_text=
fi

cat <<EOF
## $title

$(bench_stamp)

\`\`\`sh
bench/run --only $section    # as root
\`\`\`

The API jar (\`$BENCH_API_JAVA_OPTS\`, rate limit off, ports $port_min–$port_max) runs on this
host; each of two gateways is a network namespace with the firewall agent's jar on the real
$firewall_desc, reaching the local RabbitMQ through a socat relay: \`$few\` keeps
$few_maps maps, \`$many\` gets $many_maps and runs the other two gateway services as deployed, the
health worker (probing every 30 s) and the log forwarder; every gateway service with
\`$gateway_java_opts\`, as in k8s. The client is \`ipam-bench\` from outside, over HTTP/1.1
keep-alive, one blocking connection per request in flight written and read as wrk does
(\`KeepAliveHttp\`: the JDK's \`HttpClient\` took 1.5–1.8 ms of the two CPUs per request, a fifth of
a create's whole cost, and measured itself), in a JVM made cheap (\`$BENCH_CLIENT_JAVA_OPTS\`, bench/lib.sh), as operator \`bench\` (\`?gateway=…\`); a create counts when answered 200, that is
once the agent applied the rule and the API recorded its answer. One change at a time is a
create (\`POST\`, timed to its 200) and then the removal of what it created (\`DELETE\`, timed
to its 200), so each gateway keeps its maps; the two gateways take turns, 10 cycles each, so
the shared machine's drifting load weighs on both alike ($warmup cycles each warm up, $cycles
each are measured; per s is whole cycles per second). Until 2026-12-07 200 were measured, whose
p99 is the second-slowest sample: with the iptables backend the ratio of the two gateways' p99
was 1.73× and 1.32× in two runs 50 minutes apart that day (1.17× and 1.16× at p50); with 1,000
it is the tenth. The baselines run in the same run: the
API's healthcheck (no auth, asks Redis and the broker: the floor of any request), and in a
namespace of their own the rules \`$many\`'s agent held ($saved

| path | in flight | ok | failed | per s | p50 ms | p99 ms |
|---|---|---|---|---|---|---|
$health_one
$cycle_rows
$health_many
$burst
$churn
$warm_burst
${naive_row}| baseline: one \`$restore_program\` of all $many_maps maps ($(awk -v s="$restore" 'BEGIN {printf "%.0f", s * 1000}') ms) | 1 | $many_maps maps | 0 | $restore_rate | | |

- A create with $many_maps maps on the gateway against one with $few_maps: **${create_ratio50}× at p50,
  ${create_ratio}× at p99** (issue 14: ≤ 1.2×).
- Issue 14's targets with few maps: p50 ≤ 15 ms, p99 ≤ 50 ms; this run: $(col "$cycle_rows" "($few): POST" 7) ms
  and $(col "$cycle_rows" "($few): POST" 8) ms, over a healthcheck of $(col "$health_one" 'healthcheck' 7) ms / $(col "$health_one" 'healthcheck' 8) ms.
- $creates creates at $in_flight in flight: $(col "$burst" 'cold' 6) maps/s through REST cold and
  $(col "$warm_burst" 'warm' 6) maps/s warm, against $(col "$health_many" 'healthcheck' 6) healthchecks/s at the same
  concurrency, ${naive_text}$restore_rate maps/s for one restore of them all
  (issue 14: ≥ 500 maps/s).

Where the machine's CPU went during each burst (\`bench/cpu.py\`: utime + stime from \`/proc\`
by process, the programs a service runs in rows of their own; "% of one CPU" can reach
$(($(nproc) * 100)) % here; the kernel's own work, such as the packets' path, shows only in the last row):

| process | cold burst: CPU s | % of one CPU | warm burst: CPU s | % of one CPU |
|---|---|---|---|---|
$(python3 bench/cpu.py split "$dir"/cold.{before,after} "$dir"/warm.{before,after} "${known[@]}")

$(reading)

### Memory of every service

Resident set in MiB (VmRSS; ZGC maps the API's heap three times, and \`bench_rss\` in
bench/lib.sh counts it once). Idle: every service ready, both gateways registered, no map and
no log line yet, 10 s after start. Under load: the API and the agents right after the rows
above, the health worker then too ($loaded_maps maps on \`$many\`, $(addresses $many) distinct
addresses probed every 30 s); the log forwarder halfway through forwarding $log_lines ulogd2
lines appended at once (all were forwarded, in batches of 500, at $lines_per_s lines/s or more:
the queue is polled with \`rabbitmqctl\`). Peak: VmHWM at the end (for ZGC, less its heap's two extra mappings).

| service | idle | under load | peak |
|---|---|---|---|
$(agent_rows)

Parameters: \`BENCH_E2E_CYCLES\` ($cycles), \`BENCH_E2E_WARMUP\` ($warmup), \`BENCH_E2E_CREATES\`
($creates), \`BENCH_E2E_WARM_ROUND\` ($warm_round), \`BENCH_E2E_WARM_ROUNDS\` ($warm_rounds),
\`BENCH_E2E_SETTLE_PERCENT\` ($settle), \`BENCH_E2E_IN_FLIGHT\` ($in_flight), \`BENCH_E2E_LOG_LINES\` ($log_lines),
\`BENCH_GATEWAY_JAVA_OPTS\` ($gateway_java_opts). Logs of every process in \`target/bench/$run/\`.
EOF

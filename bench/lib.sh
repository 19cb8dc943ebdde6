# Helpers for bench/*.sh, sourced, never run: the machine's description, an API jar on free
# ports under its own Redis key prefix and RabbitMQ vhost, a process's memory, and wrk.
# Every function writes progress to stderr; stdout is for the markdown a script prints.

BENCH_ROOT=${BENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# As ipam-api/Dockerfile runs it under k8s/ipam-api.yaml's 2 GiB limit: ZGC, MaxRAMPercentage=56.
BENCH_API_JAVA_OPTS=${BENCH_API_JAVA_OPTS--XX:+UseZGC -Xmx1152m}
# The benchmark client's JVM (ipam-bench) shares the machine with what it measures, so it is made
# cheap: C1 only (no C2 compiling for seconds of a short run), one compiler thread, the serial
# collector. On a 2-CPU machine this halved the client's CPU for 3,000 healthchecks (4.3 -> 1.9 s)
# and doubled the healthchecks per second it measured (743 -> 1,587).
BENCH_CLIENT_JAVA_OPTS=${BENCH_CLIENT_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC}
BENCH_DEV_SECRET=${BENCH_DEV_SECRET:-bench-only-secret-not-for-any-deployment}
BENCH_LOGS=${BENCH_LOGS:-$BENCH_ROOT/target/bench}
mkdir -p "$BENCH_LOGS"

bench_say() { printf '[bench] %s\n' "$*" >&2; }

# The jar a module's package phase built.
bench_jar() {
  local jar
  jar=$(ls "$BENCH_ROOT/$1"/target/"$1"-*.jar 2>/dev/null | grep -v -- '-plain\|\.original$' | head -1)
  [[ -n $jar ]] || { bench_say "no jar in $1/target: run ./mvnw -B -q -DskipTests package first"; return 1; }
  printf '%s\n' "$jar"
}

# A unique name for this run's vhost, key prefix and logs: <what>-<date>-<pid>.
bench_run_id() { printf '%s-%s-%s\n' "$1" "$(date -u +%Y%m%d%H%M%S)" "$$"; }

# Markdown lines describing the machine and its current load.
bench_machine() {
  local cpu ram java redis rabbit
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  ram=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  java=$(java -version 2>&1 | head -1 | sed 's/"//g')
  redis=$(redis-cli INFO server 2>/dev/null | sed -n 's/^redis_version:\([^[:space:]]*\).*/\1/p')
  rabbit=$(rabbitmqctl -q version 2>/dev/null || echo unknown)
  printf -- '- CPU: %s × %s\n' "$(nproc)" "${cpu:-unknown}"
  # rcu_expedited shortens the grace periods a removal's conntrack -D and the next iptables create wait for
  printf -- '- RAM: %s; kernel %s (rcu_expedited %s)\n' "$ram" "$(uname -r)" "$(cat /sys/kernel/rcu_expedited 2>/dev/null || echo '?')"
  printf -- '- Java: %s; Redis %s; RabbitMQ %s (local, loopback)\n' "$java" "${redis:-unknown}" "$rabbit"
  printf -- '- load: %s\n' "$(bench_load)"
}

# The load averages (1, 5, 15 min) as uptime prints them.
bench_load() { uptime | sed 's/.*load average: //'; }

# One italic line a section starts with: when it was measured, on which kernel build (sections
# of one document may come from different machines; the header describes the last run's only),
# and the load then.
bench_stamp() {
  printf '_Measured %s on kernel %s, load average %s._\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(uname -r)" "$(bench_load)"
}

# A port below the kernel's ephemeral range (where outgoing connections take theirs: a port one
# of them holds cannot be listened on) that no socket uses.
bench_free_port() {
  local port low base=10000
  read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
  ((low > base + 1000)) || base=1024 # an ephemeral range that starts low leaves the ports above 1023
  while :; do
    port=$((base + RANDOM % (low - base)))
    [[ -n $(ss -tanH "sport = :$port") ]] || { printf '%s\n' "$port"; return; }
  done
}

# A RabbitMQ vhost the run owns, with guest allowed everything in it (rabbitmqctl: the
# management plugin may be off).
bench_vhost_create() {
  rabbitmqctl -q add_vhost "$1" >/dev/null
  rabbitmqctl -q set_permissions -p "$1" guest '.*' '.*' '.*' >/dev/null
}
# Deleting a vhost that still holds a thousand quorum queues (the fleet's) outlasts
# rabbitmqctl's timeout and can leave them running on the broker, a load on every later
# benchmark; so its queues go first, eight at a time through the management API when it is on.
bench_vhost_delete() {
  local vhost=$1 api=http://127.0.0.1:15672/api
  if curl -fsS -u guest:guest -o /dev/null "$api/overview" 2>/dev/null; then
    curl -fsS -u guest:guest "$api/queues/$vhost?columns=name" 2>/dev/null \
      | grep -o '"name":"[^"]*"' | cut -d'"' -f4 \
      | xargs -r -P 8 -I{} curl -fsS -u guest:guest -X DELETE -o /dev/null "$api/queues/$vhost/{}" || true
  fi
  rabbitmqctl -q --timeout 300 delete_vhost "$vhost" >/dev/null 2>&1 || true
  if rabbitmqctl -q list_vhosts name 2>/dev/null | grep -qxF "$vhost"; then
    bench_say "WARNING: vhost $vhost is still on the broker; remove it: rabbitmqctl delete_vhost $vhost"
  fi
}

# Deletes every Redis key under the prefix.
bench_redis_clean() {
  redis-cli --scan --pattern "$1*" | xargs -r -n 500 redis-cli UNLINK >/dev/null
}

# bench_api_start <log name> <key prefix> <vhost> [--property=value ...]: starts the API jar on
# free ports with the development secret, the operator "bench" and no rate limit, and waits
# until it is ready. Sets BENCH_API_PID, BENCH_API_URL and BENCH_API_MANAGEMENT_URL. BENCH_API_JAR
# names another jar (an older build, to compare).
bench_api_start() {
  local name=$1 prefix=$2 vhost=$3 port management jar
  shift 3
  jar=${BENCH_API_JAR:-$(bench_jar ipam-api)} || return 1
  port=$(bench_free_port)
  management=$(bench_free_port)
  while [[ $management == "$port" ]]; do management=$(bench_free_port); done
  # shellcheck disable=SC2086 # the options are words on purpose
  java $BENCH_API_JAVA_OPTS -jar "$jar" --server.port="$port" --management.server.port="$management" \
    --spring.rabbitmq.virtual-host="$vhost" --ipam.redis-key-prefix="$prefix" \
    --ipam.auth.dev-secret="$BENCH_DEV_SECRET" --ipam.operators=bench --ipam.rate-limit.enabled=false \
    "$@" > "$BENCH_LOGS/$name.log" 2>&1 &
  BENCH_API_PID=$!
  BENCH_API_URL=http://127.0.0.1:$port
  BENCH_API_MANAGEMENT_URL=http://127.0.0.1:$management
  for _ in $(seq 1 180); do
    if curl -fs "$BENCH_API_MANAGEMENT_URL/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then
      bench_say "$name is ready at $BENCH_API_URL (pid $BENCH_API_PID)"
      return 0
    fi
    kill -0 "$BENCH_API_PID" 2>/dev/null || break
    sleep 1
  done
  bench_say "$name did not become ready; see $BENCH_LOGS/$name.log"
  return 1
}

# Stops processes this script started, by their pids.
bench_stop() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# bench_token <username>: a development token the API started by bench_api_start accepts.
bench_token() { IPAM_AUTH_DEV_SECRET=$BENCH_DEV_SECRET "$BENCH_ROOT/dev/token" "$1"; }

# bench_rss <pid>: "<now> <peak>" in MiB: the resident set (VmRSS) and its peak (VmHWM), each
# less two thirds of RssShmem: Java 17's ZGC (not generational) maps its heap three times and the kernel counts each mapping,
# so that its heap counts once. Other collectors hold about no shared memory; for ZGC the peak
# is exact while its heap has not shrunk since.
bench_rss() {
  awk '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2} /^RssShmem/ {shmem = $2}
    END {printf "%.0f %.0f\n", (rss - shmem * 2 / 3) / 1024, (hwm - shmem * 2 / 3) / 1024}' "/proc/$1/status"
}

# bench_wrk <url> <connections> <seconds> [header ...]: "<req/s> <p50 ms> <p99 ms> <non-2xx>" from
# wrk --latency (installed from Debian's package when missing), two threads.
bench_wrk() {
  local url=$1 connections=$2 seconds=$3 header args=()
  shift 3
  for header in "$@"; do args+=(-H "$header"); done
  command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || {
    bench_say "wrk is missing and could not be installed (apt-get update, then apt-get install wrk)"; return 1; }
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "${args[@]}" "$url" | bench_wrk_figures
}

# Reads wrk --latency output: "<req/s> <p50 ms> <p99 ms> <non-2xx>".
bench_wrk_figures() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000;
                        if (v ~ /s$/) return v * 1000; return v }
       /^[[:space:]]+50%/ {p50 = ms($2)} /^[[:space:]]+99%/ {p99 = ms($2)}
       /^Requests\/sec:/ {rate = $2} /Non-2xx or 3xx responses:/ {bad = $NF}
       END {printf "%.0f %.2f %.2f %d\n", rate, p50, p99, bad}'
}

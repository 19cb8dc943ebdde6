#!/usr/bin/env bash
# Measures the firewall agent: command -> answer latency with 10 and ~1,000 mappings, 1,000
# creates with 32 in flight, and the iptables baselines, in one run. Needs root (network
# namespaces), RabbitMQ and Redis as for the tests (dev/test prepares them). Prints the
# machine and the table; the table is also in firewall-agent/target/benchmarks/firewall-agent.md.
# Usage: bench/agent.sh [rounds per latency row, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-100}"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), \
$(free -g | awk '/^Mem:/ {print $2 " GB RAM"}'), $(. /etc/os-release && echo "$PRETTY_NAME"), \
$(java -version 2>&1 | head -1), $(iptables -V), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
CI=true ./mvnw -B -q -pl firewall-agent -am verify \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CommandLatencyBenchmarkJarTests -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dbenchmark.rounds="$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat firewall-agent/target/benchmarks/firewall-agent.md

#!/usr/bin/env bash
# The health worker's probe cycle over 1,000 addresses (half alive) against fping itself over
# the same 1,000, in network namespaces (root). Prints the table and the machine; the table is
# also in health-worker/target/benchmarks/probe-cycle.md. Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl health-worker -am verify -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtest=ProbeCycleBenchmarkTests -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true "$@"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
cat health-worker/target/benchmarks/probe-cycle.md

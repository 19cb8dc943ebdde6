#!/usr/bin/env bash
# The log forwarder, tail → confirmed, against a bare publisher of the same batches in the same
# run, on the machine's RabbitMQ (a virtual host of its own), and the hot path's stages without
# the broker (HotPathBenchmark). Prints the tables and the machine; the full output is in
# log-forwarder/target/surefire-reports/*Benchmark-output.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl log-forwarder -am verify -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtest='HotPathBenchmark,ForwarderThroughputBenchmark' -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
grep -h '^\[hot-path\]' log-forwarder/target/surefire-reports/*HotPathBenchmark-output.txt | cut -c12-
grep -h '^\[benchmark\]' log-forwarder/target/surefire-reports/*ForwarderThroughputBenchmark-output.txt | cut -c13-

#!/usr/bin/env bash
# The health worker's probe cycle over 1,000 addresses (half alive) against fping itself over
# the same 1,000, in network namespaces (root; the test removes them). Prints its section;
# Maven's output goes to stderr, the table is also in
# health-worker/target/benchmarks/probe-cycle.md. Takes about two minutes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"

report=health-worker/target/benchmarks/probe-cycle.md
rm -f "$report"
bench_say "probe: ProbeCycleBenchmarkTests (Maven, network namespaces)"
./mvnw -B -q -pl health-worker -am verify -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtest=ProbeCycleBenchmarkTests -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true "$@" >&2
[[ -s $report ]] || { bench_say "no $report: did the benchmark run (root needed)?"; exit 1; }

cat <<MD
## Health worker probing

$(bench_stamp)

\`ProbeCycleBenchmarkTests\` (root: it makes network namespaces): 1,000 addresses, every other
one alive (a /23 local to a namespace) and the rest dead (a /23 routed into that namespace,
which drops it silently); one ICMP echo each with a 500 ms timeout and fping's 1 ms send
interval. The baseline is \`fping\` itself, one process over the same 1,000 with the prober's own
arguments (\`fping -s -c 1 -p 100 -i 1 -t 500 <1,000 addresses>\`), started from Java like the
worker's runs. The worker's rows run the real prober through \`ProbeRunner\` at the default
concurrency (64), the ICMP part of a cycle (TCP connects are one task each, as before).
Rounds are interleaved; median of 3.

$(grep '^|' "$report")

$(grep -v '^|' "$report" | grep .)

One fping over everything is bound by its send interval (1,000 × 1 ms) plus the timeout; the
worker's chunks run side by side on the probe slots, so 4 chunks of 256 take about 256 ms of
sending plus the timeout. Smaller chunks go further until process start-up and the two CPUs
count; one process per address (before) paid about 4.6 ms of start-up per address. Chunks of
256 keep a chunk's output (about 30 KB) and its deadline small; with the default 3 echoes and
2 s timeout a chunk's run takes about 3 s, so 1,000 addresses take one run's time where they
took about 66 s before.
MD

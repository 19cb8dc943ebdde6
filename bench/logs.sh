#!/usr/bin/env bash
# The log forwarder, tail → confirmed, against a bare publisher of the same batches in the same
# run, on the machine's RabbitMQ (a virtual host of its own, made and removed by the test's
# TestVhost), and the hot path's stages without the broker (HotPathBenchmark). Prints its
# section; Maven's output goes to stderr, the tests' full output stays in
# log-forwarder/target/surefire-reports/*Benchmark-output.txt. Takes about three minutes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"

reports=log-forwarder/target/surefire-reports
rm -f "$reports"/*Benchmark-output.txt
bench_say "logs: ForwarderThroughputBenchmark and HotPathBenchmark (Maven)"
./mvnw -B -q -pl log-forwarder -am verify -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtest='HotPathBenchmark,ForwarderThroughputBenchmark' -Dsurefire.failIfNoSpecifiedTests=false "$@" >&2
forwarder=$(grep -h '^\[benchmark\]' "$reports"/*ForwarderThroughputBenchmark-output.txt | cut -c13-)
hot_path=$(grep -h '^\[hot-path\]' "$reports"/*HotPathBenchmark-output.txt | cut -c12-)
table() { grep '^|' <<< "$1"; }
thousands() { awk -v n="$1" 'BEGIN {s = sprintf("%.0f", n); while (s ~ /[0-9]{4}/) sub(/[0-9]{3}($|,)/, ",&", s); print s}'; }
# percent and MiB/s of the forwarder's row with 8 batches in flight
read -r percent mib < <(awk -F'|' '$2 ~ /forwarder, 8 batches/ {gsub(/[ %]/, "", $5); print $5, $4 + 0}' <<< "$forwarder")
# the hot path's ceiling on one thread: reading, parsing and JSON one after another
ceiling=$(awk -F'|' '/read through|parse into|as JSON/ {gsub(/[ ,]/, "", $3); t += 1 / $3} END {printf "%.0f", 1 / t}' \
  <<< "$hot_path")
of_ceiling=$(awk -F'|' -v c="$ceiling" '$2 ~ /forwarder, 8 batches/ {gsub(/[ ,]/, "", $3); printf "%.0f", 100 * $3 / c}' \
  <<< "$forwarder")
fsync_ms() { awk -F'|' '/checkpoint write/ {gsub(/[ ,]/, "", $3); printf "%.1f", 500 * 1000 / $3}' <<< "$hot_path"; }
verdict="**Not at the target**"
awk -v p="$percent" -v m="$mib" 'BEGIN {exit !(p >= 80 && m >= 80)}' && verdict="**At the target**"

cat <<MD
## Log forwarder

$(bench_stamp)

\`ForwarderThroughputBenchmark\` (against the machine's RabbitMQ, a virtual host of its own):
$(grep -v '^|' <<< "$forwarder" | sed -n 2p). The forwarder reads a log already written, to
the last batch confirmed (tail, parse, batch, checkpoint with fsync, publish with confirms). The baseline is a
bare \`RabbitTemplate\` publishing the same batches, parsed beforehand, with as many in flight
(no tailing, parsing or checkpointing). Four paths, interleaved; the forwarder records the
batches that are ready together (up to the room in its window of 8) as pending with one
fsync'd checkpoint write, then publishes them.
$(grep -v '^|' <<< "$forwarder" | sed -n 1p | sed 's/^/Machine: /').

$(table "$forwarder")

The hot path's stages on one thread, without the broker ($(grep -v '^|' <<< "$hot_path" | head -1)):

$(table "$hot_path")

$verdict (issue 14: ≥ 80 % of the bare publisher, ≥ 80 MiB/s of log where the broker
allows): the forwarder with 8 batches in flight reached ${percent} % of the bare publisher,
${mib} MiB/s of log, in this run. Rounds differ by a third or more on this shared machine (the
last column), so a run near 80 % is no margin.

What limits it: no longer the checkpoint. Before group commit one fsync'd pending checkpoint
preceded every batch's publish, and with the shared disk busy each took 20–100 ms: 11–31 % of
the bare publisher on 2026-12-04. Now the batches that are ready together (a backlog: all of
them, up to the room in the window) share one write, and confirms arriving together are
recorded with the next write, so a busy log costs one fsync per group instead of per batch.
In this run a write took about $(fsync_ms) ms (the hot path's last row, 500 lines a write), so
part of a difference from an earlier run is the disk: compare rows of one table.
What is left is CPU. The forwarding thread reads, parses and writes JSON one line after
another, and the hot path's stages add up to about $(thousands "$ceiling") lines/s on one thread
(the forwarder reached ${of_ceiling} % of that), while the bare publisher gets its batches
parsed beforehand; on two CPUs the broker, the client's I/O thread and the forwarder share
the rest. Profiling this hot path (JFR) on 2026-12-05 found a pattern matcher for the log
prefix (a third of parsing), \`DateTimeFormatter\` for every record's time (a third of writing
JSON) and a string for every address and port; all three are gone, and the forwarder went
from 54 % to 72–78 % of the bare publisher in runs of that day. Parsing on a second thread,
ahead of the forwarding one, was built and measured the same day (chunks of 128 lines, up to
the window's lines ahead): 59–75 % against 68–79 % for the forwarder as it is, in the same
runs. Both CPUs are busy with the broker and the client as it is, so a second parsing thread
only moves work; it was not kept. Those runs shared the machine with other builds (load 3–6).
Later that day, with the machine to itself (load below 3), both sides ran faster in four runs:
the forwarder 105–118 MiB/s of log (386,000–434,000 lines/s), the bare publisher
580,000–800,000 lines/s, so the ratio fell to 48–72 %. With CPU to spare, the forwarder's one
thread is the limit; a second thread that writes JSON and publishes behind the reading and
parsing one is what to build and measure next, on a quiet machine.

This section alone: \`bench/run --only logs\`; Maven's output in \`target/bench/logs.log\`.
MD

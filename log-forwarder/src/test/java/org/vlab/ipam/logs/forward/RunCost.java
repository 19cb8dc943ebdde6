package org.vlab.ipam.logs.forward;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one benchmark run cost: its wall time, this JVM's CPU time, the whole machine's busy
 * time from {@code /proc/stat} (the broker's share is the difference, with whatever else
 * runs), and for the forwarder its checkpoint writes, so a table can say whether the machine,
 * one thread or the disk was the limit.
 */
record RunCost(long wallNanos, long jvmNanos, long machineBusyNanos, long checkpointWrites, long checkpointNanos) {

    /** USER_HZ, which {@code /proc/stat} counts in, is 100 on every Linux architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The counters now; {@link #until} turns two of these into a run's cost. */
    static RunCost now() throws IOException {
        return new RunCost(System.nanoTime(), OS.getProcessCpuTime(), machineBusy(), 0, 0);
    }

    /**
     * Waits (at most 15 s) until the machine has been quiet for a tenth of a second, below a
     * fifth of its CPUs: a purged quorum queue goes on cleaning up its segments for a while,
     * and a run started meanwhile shares the machine with the run before it.
     */
    static void awaitQuietMachine() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            RunCost before = now();
            Thread.sleep(100);
            if (before.until(now()).machineBusyPercent() < 20) {
                return;
            }
        }
    }

    RunCost until(RunCost later) {
        return new RunCost(later.wallNanos - wallNanos, later.jvmNanos - jvmNanos,
                later.machineBusyNanos - machineBusyNanos, 0, 0);
    }

    RunCost withCheckpoints(long writes, long nanos) {
        return new RunCost(wallNanos, jvmNanos, machineBusyNanos, writes, nanos);
    }

    RunCost plus(RunCost other) {
        return new RunCost(wallNanos + other.wallNanos, jvmNanos + other.jvmNanos,
                machineBusyNanos + other.machineBusyNanos, checkpointWrites + other.checkpointWrites,
                checkpointNanos + other.checkpointNanos);
    }

    /** Microseconds of this JVM's CPU per line. */
    double jvmMicrosPer(long lines) {
        return jvmNanos / 1e3 / lines;
    }

    /** Microseconds per line of the machine's busy time outside this JVM: the broker, mostly. */
    double restMicrosPer(long lines) {
        return (machineBusyNanos - jvmNanos) / 1e3 / lines;
    }

    /** How busy the machine was, in percent of all its CPUs. */
    double machineBusyPercent() {
        return 100.0 * machineBusyNanos / wallNanos / Runtime.getRuntime().availableProcessors();
    }

    /** The share of the wall time the forwarding thread spent writing its checkpoint, in percent. */
    double checkpointPercent() {
        return 100.0 * checkpointNanos / wallNanos;
    }

    /** Milliseconds per checkpoint write, or 0 when there were none. */
    double millisPerCheckpoint() {
        return checkpointWrites == 0 ? 0 : checkpointNanos / 1e6 / checkpointWrites;
    }

    /** user + nice + system + irq + softirq + steal of the {@code cpu} line: everything but idle and iowait. */
    private static long machineBusy() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < fields.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy * NANOS_PER_TICK;
    }
}

package org.vlab.ipam.bench.jit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU time some Java processes used, in all and in their JIT compiler threads (HotSpot
 * names them "C1 CompilerThread…" and "C2 CompilerThread…"), read from {@code /proc}. A
 * service answers its first thousands of requests while C2 still compiles their path: on the
 * benchmark's 2 cores the API's compilers used a third of its CPU over its first 6,000
 * creates, so a benchmark that measures a warm service first waits for this to fall.
 */
public final class CompilerActivity {

    private final Path proc;
    private final List<Long> pids;

    /** Reads {@code pids} under {@code proc} (normally {@code /proc}); each must exist now. */
    public CompilerActivity(Path proc, List<Long> pids) {
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("no process to watch");
        }
        for (long pid : pids) {
            if (!Files.isRegularFile(proc.resolve(pid + "/stat"))) {
                throw new IllegalArgumentException("no process " + pid + " under " + proc);
            }
        }
        this.proc = proc;
        this.pids = List.copyOf(pids);
    }

    /** CPU ticks (user and system) used so far: by the processes, and by their compiler threads. */
    public record Ticks(long total, long compilers) {

        /** The compilers' share of the CPU used between {@code earlier} and this, in percent (0 when none was used). */
        public double compilerPercentSince(Ticks earlier) {
            long used = total - earlier.total;
            return used <= 0 ? 0 : 100.0 * (compilers - earlier.compilers) / used;
        }
    }

    /** Seconds of CPU in {@code ticks}: /proc counts in USER_HZ, 100 a second on Linux whatever the kernel's tick. */
    public static double seconds(long ticks) {
        return ticks / 100.0;
    }

    public Ticks read() {
        long total = 0;
        long compilers = 0;
        for (long pid : pids) {
            Path process = proc.resolve(Long.toString(pid));
            total += cpuTicks(process.resolve("stat"));
            try (Stream<Path> threads = Files.list(process.resolve("task"))) {
                for (Path thread : threads.toList()) {
                    if (isCompiler(thread)) {
                        compilers += cpuTicks(thread.resolve("stat"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the threads of process " + pid, e);
            }
        }
        return new Ticks(total, compilers);
    }

    private static boolean isCompiler(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm")).strip();
            return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
        } catch (NoSuchFileException e) {
            return false; // the thread ended since the listing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * utime + stime of a {@code stat} file (its 14th and 15th fields), counted after the
     * closing parenthesis of the name, which may hold spaces; 0 for a thread that ended.
     */
    static long cpuTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        if (fields.length < 13) {
            throw new IllegalStateException("not a stat line: " + line);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

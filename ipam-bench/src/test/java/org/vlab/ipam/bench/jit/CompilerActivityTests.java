package org.vlab.ipam.bench.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of /proc, on a tree laid out as Linux lays it out, and on this JVM's own. */
class CompilerActivityTests {

    @TempDir
    Path proc;

    @Test
    void countsTheCompilerThreadsApartFromTheRest() throws IOException {
        process(41, 700, 100);
        thread(41, 42, "main", 300, 20);
        thread(41, 43, "C2 CompilerThre", 200, 10);
        thread(41, 44, "C1 CompilerThre", 50, 5);
        thread(41, 45, "reactor-http-epoll-1", 100, 0);
        process(51, 90, 10);
        thread(51, 52, "C2 CompilerThre", 30, 0);

        assertThat(new CompilerActivity(proc, List.of(41L, 51L)).read())
                .isEqualTo(new CompilerActivity.Ticks(900, 295));
    }

    @Test
    void readsANameWithSpacesAndParentheses() throws IOException {
        Files.writeString(proc.resolve("stat"), "7 (a (b) c) S 1 7 7 0 -1 4194560 10 0 0 0 123 45 0 0 20 0 1 0\n");
        assertThat(CompilerActivity.cpuTicks(proc.resolve("stat"))).isEqualTo(168);
    }

    @Test
    void aThreadThatEndedCountsNothing() {
        assertThat(CompilerActivity.cpuTicks(proc.resolve("gone/stat"))).isZero();
    }

    @Test
    void refusesAProcessThatIsNotThere() {
        assertThatThrownBy(() -> new CompilerActivity(proc, List.of(999_999L)))
                .hasMessageContaining("no process 999999");
        assertThatThrownBy(() -> new CompilerActivity(proc, List.of())).hasMessage("no process to watch");
    }

    @Test
    void findsThisJvmsOwnCompilerThreads() {
        CompilerActivity.Ticks ticks = new CompilerActivity(Path.of("/proc"), List.of(ProcessHandle.current().pid()))
                .read();
        assertThat(ticks.total()).isPositive().isGreaterThanOrEqualTo(ticks.compilers());
        assertThat(ticks.compilers()).as("this JVM compiled its tests' code").isPositive();
    }

    @Test
    void theCompilersShareIsOfTheCpuUsedInBetween() {
        CompilerActivity.Ticks before = new CompilerActivity.Ticks(1000, 400);
        assertThat(new CompilerActivity.Ticks(1200, 450).compilerPercentSince(before)).isEqualTo(25.0);
        assertThat(before.compilerPercentSince(before)).isZero();
    }

    private void process(long pid, long user, long system) throws IOException {
        Files.createDirectories(proc.resolve(pid + "/task"));
        Files.writeString(proc.resolve(pid + "/stat"), stat(pid, "java", user, system));
    }

    private void thread(long pid, long tid, String name, long user, long system) throws IOException {
        Path task = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
        Files.writeString(task.resolve("comm"), name + "\n");
        Files.writeString(task.resolve("stat"), stat(tid, name, user, system));
    }

    private static String stat(long id, String name, long user, long system) {
        return id + " (" + name + ") S 1 " + id + " " + id + " 0 -1 4194560 100 0 0 0 " + user + " " + system
                + " 0 0 20 0 30 0 12345 0 0\n";
    }
}

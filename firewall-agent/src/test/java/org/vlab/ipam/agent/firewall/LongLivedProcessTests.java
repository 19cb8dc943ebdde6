package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long-lived child over real pipes ({@code cat}, {@code sleep}): short input is written by
 * the caller and long input by the writer thread, both arriving whole and in order; a child
 * that never reads holds the caller neither in {@code send} nor past its deadline.
 */
class LongLivedProcessTests {

    private LongLivedProcess process;

    @AfterEach
    void stopChild() {
        process.close();
    }

    @Test
    void shortInputArrivesWhole() throws Exception {
        process = started("cat");
        process.send("one\ntwo\n");

        assertThat(lines(2)).containsExactly("one", "two");
    }

    @Test
    void inputLongerThanAPipePageArrivesWholeAndInOrder() throws Exception {
        process = started("cat");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        assertThat(text.length()).isGreaterThan(LongLivedProcess.INLINE_BYTES * 10);

        process.send(text.toString());

        List<String> lines = lines(20_000);
        assertThat(lines.get(0)).isEqualTo("line 0");
        assertThat(lines.get(19_999)).isEqualTo("line 19999");
    }

    @Test
    @Timeout(20)
    void childThatNeverReadsHoldsTheCallerNeitherInSendNorPastItsDeadline() throws Exception {
        process = started("sleep", "30");
        String megabyte = "x".repeat(1 << 20) + "\n";

        long sending = System.nanoTime();
        process.send("short\n");
        process.send(megabyte);
        assertThat(Duration.ofNanos(System.nanoTime() - sending)).isLessThan(Duration.ofSeconds(2));

        long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
        assertThatThrownBy(() -> process.nextLine(deadline)).isInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - deadline).isLessThan(Duration.ofSeconds(2).toNanos());
    }

    private static LongLivedProcess started(String... command) throws FirewallException {
        LongLivedProcess started = new LongLivedProcess(List.of(command), false);
        assertThat(started.ensureRunning()).isTrue();
        return started;
    }

    private List<String> lines(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> lines = new ArrayList<>();
        while (lines.size() < count) {
            Optional<String> line = process.nextLine(deadline);
            assertThat(line).as("the child's output after %d lines", lines.size()).isPresent();
            lines.add(line.get());
        }
        return lines;
    }
}

package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/**
 * fping 5.1 over several targets in one run ({@code fping -s -c 2 -p 100 -i 1 -t T <addresses>}),
 * as captured in a network namespace (files under {@code src/test/resources/fping/}): live
 * targets, silent ones, ones the kernel answered with Host Unreachable, and one the namespace's
 * own OUTPUT rule refused to send to.
 */
class FpingChunkReportTests {

    @Test
    void eachTargetOfAMixedChunkGetsItsOwnOutcomeThoughTheAddressesArePadded() {
        FpingReport report = FpingReport.read(sample("chunk-alive-and-silent.txt"));

        assertThat(report.probe("127.0.0.1").outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(report.probe("10.9.0.2")).extracting(IcmpProbe::outcome, IcmpProbe::sent, IcmpProbe::received)
                .containsExactly(ProbeOutcome.ANSWERED, 2, 2);
        assertThat(report.probe("10.9.0.1").outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(report.probe("10.9.0.7")).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 2, 0, null));
        assertThat(report.probe("10.8.0.5")).isEqualTo(new IcmpProbe(ProbeOutcome.TIMED_OUT, 2, 0, null));
        assertThat(report.unsent("10.9.0.7")).as("its echoes timed out: they were sent").isZero();
    }

    @Test
    void hostUnreachableIsTheOutcomeOfTheTargetsItNamesOnly() {
        FpingReport report = FpingReport.read(sample("chunk-host-unreachable.txt"));

        assertThat(report.probe("10.9.0.2").outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(report.probe("10.9.0.7").outcome()).isEqualTo(ProbeOutcome.UNREACHABLE);
        assertThat(report.probe("10.8.0.5").outcome()).isEqualTo(ProbeOutcome.UNREACHABLE);
        assertThat(report.unsent("10.8.0.5")).isZero();
    }

    @Test
    void echoesRefusedToOneTargetAreFoundAmongOthersThatWereSent() {
        FpingReport report = FpingReport.read(sample("chunk-send-refused.txt"));

        assertThat(report.probe("10.9.0.2").outcome()).isEqualTo(ProbeOutcome.ANSWERED);
        assertThat(report.unsent("10.9.0.7")).isEqualTo(2);
        assertThat(report.unsent("10.9.0.2")).isZero();
    }

    @Test
    void aTargetMissingFromTheRunIsNotGivenAnOutcome() {
        FpingReport report = FpingReport.read(sample("chunk-alive-and-silent.txt"));

        assertThatIllegalArgumentException().isThrownBy(() -> report.probe("10.9.0.3"))
                .withMessageContaining("no summary for 10.9.0.3");
        assertThatIllegalArgumentException().isThrownBy(() -> report.probe("10.9.0"));
    }

    static String sample(String name) {
        try (InputStream in = FpingChunkReportTests.class.getResourceAsStream("/fping/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

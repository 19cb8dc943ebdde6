package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.logs.SampleLines;

class BatchTests {

    @Test
    void writesItsMessagesJsonOnceAndKeepsItWhenPublishedAgain() {
        Batch batch = new Batch(LogForwarderTests.FILE_A, 0, 100, IntStream.range(0, 3)
                .mapToObj(n -> SampleLines.record(n, LogForwarderTests.ALICE)).toList(), 3);

        Batch encoded = batch.encodedFor(LogForwarderTests.ALICE);

        assertThat(batch.encoded()).isNull();
        assertThat(encoded.encoded().body())
                .isEqualTo(IpamJson.mapper().writeValueAsBytes(batch.message(LogForwarderTests.ALICE)));
        assertThat(encoded.encodedFor(LogForwarderTests.ALICE)).isSameAs(encoded);
        assertThat(encoded.messageId()).isEqualTo(batch.messageId());
    }

    @Test
    void aBatchOfSkippedLinesHasNothingToWrite() {
        Batch skipped = new Batch(LogForwarderTests.FILE_A, 0, 100, List.of(), 2);

        assertThat(skipped.encodedFor(LogForwarderTests.ALICE).encoded()).isNull();
    }
}

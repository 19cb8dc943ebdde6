package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.FirewallLogRecord;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.logs.SampleLines;
import org.vlab.ipam.logs.tail.FileSeen;
import org.vlab.ipam.messaging.EncodedMessage;
import org.vlab.ipam.messaging.IpamMessageConverter;

class BatchTests {

    private static final GatewayId BOB = GatewayId.of("bob");
    private static final FileSeen SEEN = new FileSeen(Instant.parse("2026-12-07T06:00:00Z"), 4096);

    @Test
    void writesItsMessagesJsonOnceAndKeepsEverythingElse() {
        Batch batch = new Batch(LogForwarderTests.FILE_A, 10, 100, records(3, LogForwarderTests.ALICE), 4, SEEN);

        Batch encoded = batch.encodedFor(LogForwarderTests.ALICE);

        assertThat(batch.encoded()).isNull();
        assertThat(encoded).usingRecursiveComparison().ignoringFields("encoded").isEqualTo(batch);
        assertThat(body(encoded)).isEqualTo(IpamJson.mapper().writeValueAsBytes(batch.message(LogForwarderTests.ALICE)));
        assertThat(encoded.encodedFor(LogForwarderTests.ALICE)).isSameAs(encoded);
        assertThat(encoded.messageId()).isEqualTo(batch.messageId());
    }

    @Test
    void aBatchOfSkippedLinesHasNothingToWrite() {
        Batch skipped = new Batch(LogForwarderTests.FILE_A, 0, 100, List.of(), 2);

        assertThat(skipped.encodedFor(LogForwarderTests.ALICE).encoded()).isNull();
    }

    @Test
    void refusesTheJsonOfAnotherBatch() {
        Batch batch = new Batch(LogForwarderTests.FILE_A, 0, 100, records(2, LogForwarderTests.ALICE), 2);
        EncodedMessage otherRange = new Batch(LogForwarderTests.FILE_A, 100, 200, records(2, LogForwarderTests.ALICE),
                2).encodedFor(LogForwarderTests.ALICE).encoded();
        EncodedMessage otherRecords = new Batch(LogForwarderTests.FILE_A, 0, 100, records(1, LogForwarderTests.ALICE),
                1).encodedFor(LogForwarderTests.ALICE).encoded();

        assertThatThrownBy(() -> new Batch(batch.file(), 0, 100, batch.records(), 2, null, otherRange))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another batch's");
        assertThatThrownBy(() -> new Batch(batch.file(), 0, 100, batch.records(), 2, null, otherRecords))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another batch's");
    }

    @Test
    void neverPassesOffOneGatewaysJsonAsAnothers() {
        Batch forAlice = new Batch(LogForwarderTests.FILE_A, 0, 100, records(2, LogForwarderTests.ALICE), 2)
                .encodedFor(LogForwarderTests.ALICE);

        assertThatThrownBy(() -> forAlice.encodedFor(BOB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differs from the batch's gateway");
    }

    private static List<FirewallLogRecord> records(int count, GatewayId gateway) {
        return IntStream.range(0, count).mapToObj(n -> SampleLines.record(n, gateway)).toList();
    }

    private static byte[] body(Batch batch) {
        return new IpamMessageConverter().toMessage(batch.encoded(), new MessageProperties()).getBody();
    }
}

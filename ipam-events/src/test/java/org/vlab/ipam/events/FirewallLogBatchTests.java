package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;

class FirewallLogBatchTests {

    static FirewallLogRecord recordOf(String gateway) {
        return new FirewallLogRecord(Instant.parse("2026-11-20T14:30:56Z"), GatewayId.of(gateway), "VLABFWD", "wan",
                "lan", Ipv4Address.parse("203.0.113.10"), Ipv4Address.parse("192.168.1.20"), "TCP", 40000, 22, null);
    }

    @Test
    void refusesARecordOfAnotherGateway() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FirewallLogBatch(GatewayId.of("alice"), new LogSource("f", 0, 10),
                        List.of(recordOf("alice"), recordOf("mallory"))))
                .withMessage("records[1].gateway mallory differs from the batch's gateway alice");
    }

    @Test
    void acceptsRecordsOfItsOwnGateway() {
        assertThat(new FirewallLogBatch(GatewayId.of("alice"), new LogSource("f", 0, 10),
                List.of(recordOf("alice"))).records()).hasSize(1);
    }
}

package org.vlab.ipam.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.usage.ForwardedConnections.Connection;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;

/** A batch's connections reach Redis grouped by port and hour: one group per port, whatever the order. */
class PortUsageTests {

    private static final Instant T = Instant.parse("2026-12-04T13:59:00Z");
    private static final long HOUR = T.getEpochSecond() / 3600;

    @Test
    void groupsByPortWithTheLatestConnectionAndACountPerHour() {
        List<String> args = new ArrayList<>();
        PortUsage.of(List.of(connection(50002, T, "10.0.0.1"), connection(50001, T.plusSeconds(120), "10.0.0.2"),
                connection(50002, T.plusSeconds(90), "10.0.0.3"), connection(50002, T.minusSeconds(30), "10.0.0.4")))
                .forEach(port -> port.appendTo(args));

        assertThat(args).containsExactly(
                "50001", "1", Long.toString(T.plusSeconds(120).toEpochMilli()), "2026-12-04T14:01:00Z", "10.0.0.2", "1",
                Long.toString(HOUR + 1), "1",
                "50002", "3", Long.toString(T.plusSeconds(90).toEpochMilli()), "2026-12-04T14:00:30Z", "10.0.0.3", "2",
                Long.toString(HOUR), "2", Long.toString(HOUR + 1), "1");
    }

    private static Connection connection(int port, Instant at, String source) {
        return new Connection(ConnPort.of(port), at, Ipv4Address.parse(source));
    }
}

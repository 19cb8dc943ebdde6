package org.vlab.ipam.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapApplied;

class IpamMessageConverterTests {

    private static final String APPLIED_JSON =
            "{\"gateway\":\"alice\",\"conn_port\":50013,\"generation\":7,\"applied_at\":\"2026-11-24T10:15:30Z\"}";

    private final IpamMessageConverter converter = new IpamMessageConverter();

    @Test
    void namesTheWireTypeNotTheJavaClass() {
        PortMapApplied applied = new PortMapApplied(GatewayId.of("alice"), ConnPort.of(50013), 7,
                Instant.parse("2026-11-24T10:15:30Z"));
        Message message = converter.toMessage(applied, new MessageProperties());

        assertThat(message.getMessageProperties().getType()).isEqualTo("portmap.applied");
        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat(message.getMessageProperties().getHeaders()).doesNotContainKey("__TypeId__");
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(APPLIED_JSON);
    }

    @Test
    void sendsAMessageWrittenBeforehandAsTheSameBytesAndProperties() {
        PortMapApplied applied = new PortMapApplied(GatewayId.of("alice"), ConnPort.of(50013), 7,
                Instant.parse("2026-11-24T10:15:30Z"));
        EncodedMessage encoded = EncodedMessage.of(applied);

        Message direct = converter.toMessage(applied, new MessageProperties());
        Message written = converter.toMessage(encoded, new MessageProperties());

        assertThat(written.getBody()).isSameAs(encoded.body()).isEqualTo(direct.getBody());
        assertThat(written.getMessageProperties()).isEqualTo(direct.getMessageProperties());
        assertThat(converter.fromMessage(written)).isEqualTo(applied);
    }

    @Test
    void readsWhatItWrote() {
        assertThat(converter.fromMessage(message("portmap.applied", "application/json", APPLIED_JSON)))
                .isEqualTo(new PortMapApplied(GatewayId.of("alice"), ConnPort.of(50013), 7,
                        Instant.parse("2026-11-24T10:15:30Z")));
    }

    @Test
    void ignoresFieldsItDoesNotKnowSoProducersCanAddFields() {
        String withExtra = APPLIED_JSON.replace("}", ",\"added_in_v2\":{\"x\":1}}");
        assertThat(converter.fromMessage(message("portmap.applied", "application/json", withExtra)))
                .isInstanceOf(PortMapApplied.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no type property | | application/json | " + APPLIED_JSON + " | message has no type property",
        "a Java class name as type | org.vlab.ipam.events.PortMapApplied | application/json | " + APPLIED_JSON
                + " | unknown message type 'org.vlab.ipam.events.PortMapApplied'",
        "not JSON content | portmap.applied | text/plain | " + APPLIED_JSON + " | content type 'text/plain'",
        "invalid JSON | portmap.applied | application/json | {\"gateway\":\"alice\", | invalid portmap.applied message",
        "trailing garbage | portmap.applied | application/json | " + APPLIED_JSON + "} | invalid portmap.applied message",
        "missing object field | portmap.applied | application/json | {\"gateway\":\"alice\",\"conn_port\":50013,"
                + "\"generation\":7} | missing field applied_at",
        "missing number | portmap.applied | application/json | {\"gateway\":\"alice\",\"conn_port\":50013,"
                + "\"applied_at\":\"2026-11-24T10:15:30Z\"} | generation",
        "invalid value | portmap.applied | application/json | {\"gateway\":\"al.ice\",\"conn_port\":50013,"
                + "\"generation\":7,\"applied_at\":\"2026-11-24T10:15:30Z\"} | gateway id",
        "port out of range | portmap.applied | application/json | {\"gateway\":\"alice\",\"conn_port\":70000,"
                + "\"generation\":7,\"applied_at\":\"2026-11-24T10:15:30Z\"} | conn_port must be between 1 and 65535",
        "not an instant | portmap.applied | application/json | {\"gateway\":\"alice\",\"conn_port\":50013,"
                + "\"generation\":7,\"applied_at\":\"yesterday\"} | invalid portmap.applied message"})
    void refusesWhatItCannotReadWithAReason(String why, String type, String contentType, String body,
            String reason) {
        assertThatThrownBy(() -> converter.fromMessage(message(type, contentType, body)))
                .isInstanceOf(MessageConversionException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesToSendAnythingButIpamMessages() {
        assertThatThrownBy(() -> converter.toMessage("hello", new MessageProperties()))
                .isInstanceOf(MessageConversionException.class);
    }

    private static Message message(String type, String contentType, String body) {
        MessageProperties properties = new MessageProperties();
        properties.setType(type);
        properties.setContentType(contentType);
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }
}

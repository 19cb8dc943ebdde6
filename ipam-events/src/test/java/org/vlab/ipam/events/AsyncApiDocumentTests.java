package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/** asyncapi.yaml names the code's exchanges, routing keys and wire types, and its references resolve. */
class AsyncApiDocumentTests {

    private static final JsonNode DOC = ContractDocuments.asyncApi();

    @Test
    void isAnAsyncApi3DocumentForAmqp() {
        assertThat(DOC.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(DOC.path("info").path("title").asString()).isNotBlank();
        assertThat(DOC.path("defaultContentType").asString()).isEqualTo("application/json");
        assertThat(DOC.path("servers").values()).isNotEmpty()
                .allSatisfy(server -> assertThat(server.path("protocol").asString()).isEqualTo("amqp"));
    }

    @Test
    void namesEveryExchangeOfTheTopologyAsADurableTopicExchange() {
        Set<String> exchanges = new HashSet<>();
        for (JsonNode channel : DOC.path("channels").values()) {
            JsonNode exchange = amqpBinding(channel).path("exchange");
            exchanges.add(exchange.path("name").asString());
            if (!exchange.path("name").asString().isEmpty()) {
                assertThat(exchange.path("type").asString()).isEqualTo("topic");
                assertThat(exchange.path("durable").asBoolean()).isTrue();
            }
        }
        assertThat(exchanges).containsExactlyInAnyOrder(Topology.COMMANDS_EXCHANGE, Topology.EVENTS_EXCHANGE,
                Topology.LOGS_EXCHANGE, "");
    }

    static Stream<IpamMessage> samples() {
        return MessageSamples.all().stream();
    }

    /** Each sample's route, with its gateway written as the channel parameter, is a channel carrying its type. */
    @ParameterizedTest
    @MethodSource("samples")
    void hasAChannelForEveryMessageOnItsExchangeAndRoutingKey(IpamMessage sample) {
        MessageType type = MessageType.of(sample);
        String address = type.isReply() ? null
                : type.routingKey(sample).replace("gateway." + sample.gateway() + ".", "gateway.{gateway}.");

        JsonNode channel = channelWithAddress(address);
        assertThat(amqpBinding(channel).path("exchange").path("name").asString()).isEqualTo(type.exchange());
        assertThat(channel.path("messages").values()).extracting(message -> resolve(message).path("name").asString())
                .containsExactly(type.wireName());
        if (address != null && address.contains("{gateway}")) {
            assertThat(address.replace("{gateway}", "*")).isEqualTo(type.anyGatewayPattern());
            assertThat(channel.path("parameters").has("gateway")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void describesEveryWireTypeWithItsSchemaFileAndAmqpProperties(MessageType type) {
        List<JsonNode> named = DOC.path("components").path("messages").values().stream()
                .filter(message -> message.path("name").asString().equals(type.wireName())).toList();
        assertThat(named).hasSize(1);
        JsonNode message = named.get(0);

        assertThat(message.path("payload").path("schema").path("$ref").asString())
                .isEqualTo("./" + type.schemaResource());
        assertThat(message.path("payload").path("schemaFormat").asString()).contains("2020-12");
        assertThat(message.path("bindings").path("amqp").path("messageType").asString()).isEqualTo(type.wireName());
        JsonNode trait = resolve(message.path("traits").get(0));
        assertThat(trait.path("contentType").asString()).isEqualTo("application/json");
        assertThat(resolve(trait.path("headers")).path("properties").propertyNames())
                .contains("type", "message_id", "app_id", "correlation_id");
        assertThat(resolve(trait.path("correlationId")).path("location").asString())
                .isEqualTo("$message.header#/correlation_id");
    }

    @Test
    void everyReferencedFileExistsBesideTheDocument() {
        List<String> files = ContractDocuments.refs(DOC).stream().filter(ref -> !ref.startsWith("#"))
                .map(ref -> ref.replaceFirst("^\\./", "").replaceFirst("#.*", "")).distinct().toList();

        assertThat(files).containsAll(Stream.of(MessageType.values()).map(MessageType::schemaResource).toList());
        assertThat(files).allSatisfy(file -> assertThat(ContractDocuments.exists(file)).as(file).isTrue());
    }

    @Test
    void everyReferenceInsideTheDocumentResolves() {
        List<String> dangling = new ArrayList<>();
        for (String ref : ContractDocuments.refs(DOC)) {
            if (ref.startsWith("#") && DOC.at(JsonPointer.compile(ref.substring(1))).isMissingNode()) {
                dangling.add(ref);
            }
        }
        assertThat(dangling).isEmpty();
    }

    @Test
    void everyChannelSaysWhichServiceSendsIt() {
        Set<String> services = new HashSet<>(DOC.path("info").path("tags").findValuesAsString("name"));
        Set<String> sent = new HashSet<>();
        for (JsonNode operation : DOC.path("operations").values()) {
            assertThat(operation.path("action").asString()).isIn("send", "receive");
            assertThat(operation.path("tags").findValuesAsString("name")).isNotEmpty().allMatch(services::contains);
            if (operation.path("action").asString().equals("send")) {
                sent.add(operation.path("channel").path("$ref").asString());
            }
            if (operation.has("reply")) {
                sent.add(operation.path("reply").path("channel").path("$ref").asString());
            }
        }
        assertThat(sent).containsExactlyInAnyOrderElementsOf(
                DOC.path("channels").propertyNames().stream().map(name -> "#/channels/" + name).toList());
    }

    private static JsonNode channelWithAddress(String address) {
        List<JsonNode> matching = DOC.path("channels").values().stream()
                .filter(channel -> address == null ? channel.path("address").isNull()
                        : address.equals(channel.path("address").asString()))
                .toList();
        assertThat(matching).as("channels with address %s", address).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode amqpBinding(JsonNode channel) {
        return resolve(channel.path("bindings")).path("amqp");
    }

    /** Follows a local reference ({@code $ref: '#/...'}); anything else is returned as it is. */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asString("");
        return ref.startsWith("#") ? DOC.at(JsonPointer.compile(ref.substring(1))) : node;
    }
}

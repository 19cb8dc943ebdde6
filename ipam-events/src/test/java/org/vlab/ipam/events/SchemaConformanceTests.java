package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.vlab.ipam.events.ContractDocuments.json;
import static org.vlab.ipam.events.ContractDocuments.validate;

import com.networknt.schema.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.vlab.ipam.messaging.IpamMessageConverter;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schemas describe exactly what {@link IpamJson#mapper()} writes: every sample
 * conforms, no field it writes is undeclared, and the schemas and the records agree on which
 * fields are required. {@link SchemaStrictnessTests} shows the schemas refuse bad documents.
 */
class SchemaConformanceTests {

    private static final SchemaRegistry SCHEMAS = ContractDocuments.registry();
    private static final SchemaRegistry CLOSED_SCHEMAS = ContractDocuments.closedRegistry();

    static Stream<IpamMessage> samples() {
        return MessageSamples.all().stream();
    }

    @Test
    void samplesCoverEveryMessageType() {
        assertThat(samples().map(MessageType::of)).containsAll(EnumSet.allOf(MessageType.class));
    }

    /** The optional fields of each type, arrays' elements written as {@code *}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORTMAP_REQUESTED | /target",
        "GATEWAY_HEARTBEAT | /wan_address",
        "REACHABILITY_OBSERVED | /icmp",
        "REACHABILITY_OBSERVED | /icmp/rtt_millis",
        "REACHABILITY_OBSERVED | /tcp/*/latency_millis",
        "REACHABILITY_OBSERVED | /last_seen_alive",
        "FIREWALL_LOG_BATCH | /records/*/src_port",
        "FIREWALL_LOG_BATCH | /records/*/dst_port",
        "FIREWALL_LOG_BATCH | /records/*/conn_port"})
    void samplesBothCarryAndLeaveOutEveryOptionalField(MessageType type, String field) {
        String name = field.substring(field.lastIndexOf('/') + 1);
        String parent = field.substring(0, field.lastIndexOf('/'));
        List<String> path = parent.isEmpty() ? List.of() : List.of(parent.substring(1).split("/"));
        List<JsonNode> holders = samples().filter(sample -> MessageType.of(sample) == type)
                .flatMap(sample -> objectsAt(written(sample), path))
                .toList();

        assertThat(holders).as("objects that may hold %s", field).isNotEmpty()
                .anyMatch(holder -> holder.has(name))
                .anyMatch(holder -> !holder.has(name));
    }

    /** The objects at a path whose {@code *} steps stand for every element of an array. */
    private static Stream<JsonNode> objectsAt(JsonNode node, List<String> path) {
        if (path.isEmpty()) {
            return node.isObject() ? Stream.of(node) : Stream.empty();
        }
        List<String> rest = path.subList(1, path.size());
        return path.get(0).equals("*")
                ? node.values().stream().flatMap(element -> objectsAt(element, rest))
                : objectsAt(node.path(path.get(0)), rest);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleConformsToItsSchema(IpamMessage sample) {
        assertThat(validate(SCHEMAS, MessageType.of(sample), written(sample))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void schemasDeclareEveryFieldTheMapperWrites(IpamMessage sample) {
        assertThat(validate(CLOSED_SCHEMAS, MessageType.of(sample), written(sample))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleSurvivesAJsonRoundTrip(IpamMessage sample) {
        MessageType type = MessageType.of(sample);
        byte[] body = IpamJson.mapper().writeValueAsBytes(sample);
        assertThat(IpamJson.mapper().readValue(body, type.javaType())).isEqualTo(sample);

        IpamMessageConverter converter = new IpamMessageConverter();
        Message message = converter.toMessage(sample, new MessageProperties());
        assertThat(message.getMessageProperties().getType()).isEqualTo(type.wireName());
        assertThat(converter.fromMessage(message)).isEqualTo(sample);
    }

    /** Leaving out any one field, at any depth, is refused by the schema exactly when the records refuse it. */
    @ParameterizedTest
    @MethodSource("samples")
    void schemaAndRecordsAgreeOnWhichFieldsAreRequired(IpamMessage sample) {
        MessageType type = MessageType.of(sample);
        List<String> disagreements = new ArrayList<>();
        for (JsonPointer field : fieldsOf(written(sample), JsonPointer.empty())) {
            JsonNode without = written(sample);
            ((ObjectNode) without.at(field.head())).remove(field.last().getMatchingProperty());
            boolean schemaAccepts = validate(SCHEMAS, type, without).isEmpty();
            boolean recordsAccept = reads(type, without);
            if (schemaAccepts != recordsAccept) {
                disagreements.add(field + (schemaAccepts ? " is optional in the schema" : " is required by the schema")
                        + " but " + (recordsAccept ? "optional" : "required") + " for the records");
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void createWithoutTargetIsRefusedButRemoveWithoutTargetIsFine() {
        ObjectNode create = (ObjectNode) written(MessageSamples.first(MessageType.PORTMAP_REQUESTED));
        create.remove("target");
        assertThat(validate(SCHEMAS, MessageType.PORTMAP_REQUESTED, create)).isNotEmpty();
        create.put("action", "remove");
        assertThat(validate(SCHEMAS, MessageType.PORTMAP_REQUESTED, create)).isEmpty();
    }

    @Test
    void unknownFieldsAreAllowedSoProducersCanAddFields() {
        ObjectNode applied = (ObjectNode) written(MessageSamples.first(MessageType.PORTMAP_APPLIED));
        applied.putObject("added_in_v2").put("x", 1);
        assertThat(validate(SCHEMAS, MessageType.PORTMAP_APPLIED, applied)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void everySchemaIsValidDraft202012NamedByItsWireName(MessageType type) {
        JsonNode schema = json(ContractDocuments.resource(type.schemaResource()));

        assertThat(ContractDocuments.metaSchema().validate(schema)).isEmpty();
        assertThat(schema.path("$schema").asString()).isEqualTo(ContractDocuments.DRAFT_2020_12);
        assertThat(schema.path("$id").asString()).isEqualTo(ContractDocuments.SCHEMA_BASE + type.wireName() + ".json");
        assertThat(schema.path("title").asString()).isEqualTo(type.wireName());
        assertThat(schema.path("description").asString()).isNotBlank();
        assertThat(schema.path("additionalProperties").asBoolean(false)).isTrue();
        assertThatCode(() -> ContractDocuments.schema(SCHEMAS, type).initializeValidators())
                .as("every $ref of %s resolves", type).doesNotThrowAnyException();
    }

    @Test
    void everySchemaFileIsAWireTypesOrTheSharedDefinitions() throws Exception {
        Path directory = Path.of(getClass().getClassLoader().getResource("schemas").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> "schemas/" + file.getFileName())).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(Stream.of("schemas/common.json"),
                            Stream.of(MessageType.values()).map(MessageType::schemaResource)).toList());
        }
    }

    @Test
    void sharedDefinitionsAreValidDraft202012() {
        JsonNode common = json(ContractDocuments.resource("schemas/common.json"));
        assertThat(ContractDocuments.metaSchema().validate(common)).isEmpty();
        assertThat(common.path("$id").asString()).isEqualTo(ContractDocuments.SCHEMA_BASE + "common.json");
    }

    static JsonNode written(IpamMessage message) {
        return json(IpamJson.mapper().writeValueAsString(message));
    }

    static boolean reads(MessageType type, JsonNode document) {
        try {
            IpamJson.mapper().readValue(document.toString(), type.javaType());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Pointers to every object member of the document, nested ones and those inside arrays included. */
    static List<JsonPointer> fieldsOf(JsonNode node, JsonPointer at) {
        List<JsonPointer> fields = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                JsonPointer field = at.appendProperty(entry.getKey());
                fields.add(field);
                fields.addAll(fieldsOf(entry.getValue(), field));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                fields.addAll(fieldsOf(node.get(i), at.appendIndex(i)));
            }
        }
        return fields;
    }
}

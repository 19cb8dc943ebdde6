package org.vlab.ipam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.events.ContractDocuments.validate;
import static org.vlab.ipam.events.SchemaConformanceTests.fieldsOf;
import static org.vlab.ipam.events.SchemaConformanceTests.reads;
import static org.vlab.ipam.events.SchemaConformanceTests.written;

import com.networknt.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The schemas refuse bad documents, so a schema of {@code {}} (or a forgotten constraint) fails here. */
class SchemaStrictnessTests {

    private static final SchemaRegistry SCHEMAS = ContractDocuments.registry();
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT.*Z");

    /** What every field of a given name, in any message, must refuse. */
    private static final Map<String, String> BAD_VALUE_BY_FIELD = Map.ofEntries(
            Map.entry("gateway", "\"al.ice\""),
            Map.entry("conn_port", "0"),
            Map.entry("port", "0"),
            Map.entry("src_port", "65536"),
            Map.entry("dst_port", "65536"),
            Map.entry("generation", "-1"),
            Map.entry("applied_generation", "-1"),
            Map.entry("addr", "\"127.0.0.1\""),
            Map.entry("address", "\"224.0.0.1\""),
            Map.entry("wan_address", "\"203.0.113\""),
            Map.entry("src", "\"10.0.0.256\""),
            Map.entry("dst", "\"10.0.0.01\""),
            Map.entry("name", "\"\""),
            Map.entry("component", "\"a\\tb\""),
            Map.entry("action", "\"update\""),
            Map.entry("outcome", "\"maybe\""),
            Map.entry("state", "\"unknown\""));

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.vlab.ipam.events.BadDocuments#all")
    void schemasRefuseBadDocuments(BadDocuments.Case bad) {
        JsonNode document = bad.apply(written(bad.base()));
        MessageType type = MessageType.of(bad.base());

        assertThat(validate(SCHEMAS, type, document)).as("schema errors for %s", bad).isNotEmpty();
        if (bad.recordsRefuseToo()) {
            assertThat(reads(type, document)).as("the records refuse %s too", bad).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("org.vlab.ipam.events.SchemaConformanceTests#samples")
    void everyFieldRefusesAValueOfTheWrongType(IpamMessage sample) {
        assertThat(accepted(sample, (field, value) -> wrongTypeFor(value))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("org.vlab.ipam.events.SchemaConformanceTests#samples")
    void everyGatewayPortAddressAndEnumFieldRefusesABadValue(IpamMessage sample) {
        assertThat(accepted(sample, (field, value) -> BAD_VALUE_BY_FIELD.get(field))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("org.vlab.ipam.events.SchemaConformanceTests#samples")
    void everyInstantFieldRefusesTextThatIsNoInstant(IpamMessage sample) {
        assertThat(accepted(sample, (field, value) ->
                value.isString() && INSTANT.matcher(value.asString()).matches() ? "\"2026-11-24T25:00:00Z\"" : null))
                .isEmpty();
    }

    private interface Mutation {
        /** The bad JSON to put in place of this field's value, or null to leave the field alone. */
        String badValue(String field, JsonNode value);
    }

    /** Mutates each field of the sample in turn; answers the mutations the schema accepted. */
    private static List<String> accepted(IpamMessage sample, Mutation mutation) {
        MessageType type = MessageType.of(sample);
        List<String> accepted = new ArrayList<>();
        for (JsonPointer field : fieldsOf(written(sample), JsonPointer.empty())) {
            JsonNode value = written(sample).at(field);
            String bad = mutation.badValue(field.last().getMatchingProperty(), value);
            if (bad == null) {
                continue;
            }
            BadDocuments.Case mutated = new BadDocuments.Case("mutated", sample, field.toString(), bad, false);
            if (validate(SCHEMAS, type, mutated.apply(written(sample))).isEmpty()) {
                accepted.add(mutated.toString());
            }
        }
        return accepted;
    }

    private static String wrongTypeFor(JsonNode value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode wrong = value.isString() ? nodes.numberNode(12)
                : value.isObject() ? nodes.arrayNode()
                : value.isArray() ? nodes.objectNode()
                : nodes.stringNode(value.toString());
        return wrong.toString();
    }
}

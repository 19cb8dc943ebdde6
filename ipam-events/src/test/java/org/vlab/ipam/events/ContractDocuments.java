package org.vlab.ipam.events;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads the contract documents from the classpath as consumers see them: the JSON Schemas
 * (whose {@code $id}s live under {@link #SCHEMA_BASE}, and whose relative {@code $ref}s to
 * {@code common.json} resolve to the file beside them) and the AsyncAPI document.
 */
final class ContractDocuments {

    static final String SCHEMA_BASE = "https://vlab.example/schemas/ipam/";
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private ContractDocuments() {
    }

    /** Validates with format assertions on, so {@code date-time} and {@code ipv4} are checked, not only annotated. */
    static SchemaRegistry registry() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaIdResolvers(resolvers -> resolvers.mapPrefix(SCHEMA_BASE, "classpath:schemas/")));
    }

    /**
     * The same schemas with every {@code additionalProperties: true} turned false: a document
     * they accept uses no field the schemas forgot to declare.
     */
    static SchemaRegistry closedRegistry() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemas(iri -> iri.startsWith(SCHEMA_BASE)
                        ? closed(json(resource("schemas/" + iri.substring(SCHEMA_BASE.length())))).toString()
                        : null));
    }

    static Schema schema(SchemaRegistry registry, MessageType type) {
        return registry.getSchema(SchemaLocation.of(SCHEMA_BASE + type.wireName() + ".json"));
    }

    static List<Error> validate(SchemaRegistry registry, MessageType type, JsonNode document) {
        return schema(registry, type).validate(document);
    }

    static Schema metaSchema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));
    }

    static JsonNode json(String text) {
        return IpamJson.mapper().readTree(text);
    }

    static JsonNode asyncApi() {
        return YAMLMapper.builder().build().readTree(resource("asyncapi.yaml"));
    }

    static String resource(String path) {
        URL url = ContractDocuments.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalArgumentException("no resource " + path + " on the classpath");
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(String path) {
        return ContractDocuments.class.getClassLoader().getResource(path) != null;
    }

    /** Every {@code $ref} value anywhere in the tree, in document order. */
    static List<String> refs(JsonNode node) {
        return node.findValues("$ref").stream().map(JsonNode::asString).toList();
    }

    private static JsonNode closed(JsonNode node) {
        node.forEach(ContractDocuments::closed);
        if (node instanceof ObjectNode object && object.path("additionalProperties").isBoolean()) {
            object.put("additionalProperties", false);
        }
        return node;
    }
}

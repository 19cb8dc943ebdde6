package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads back the DNAT of source-limited mappings from {@code nft -j} (and of udp mappings for
 * every source in a table written before those became elements of their own map): the elements of
 * {@value NftExtendedMappings#DNAT_CHAINS} (protocol and connection port to a chain) and the
 * rules of each {@code dnat_<port>} chain (protocol, source network if any, target), joined into
 * the forwardings they make. A chain whose rules disagree on protocol or target, or an element
 * whose chain holds no rule or one the agent does not write, reads as no forwarding, so the
 * wanted one is missing: drift.
 */
final class NftDnatChains {

    /** One rule of a DNAT chain: its protocol, its source network (null for every source), its target. */
    private record Hop(String protocol, LabNetwork source, String address, int port) {
    }

    private final Map<String, List<Hop>> rulesByChain = new HashMap<>();
    private final List<JsonNode> elements = new ArrayList<>();
    private final Set<String> unreadable = new HashSet<>();

    static boolean isDnatChain(String chain) {
        return chain.startsWith("dnat_");
    }

    void element(JsonNode element) {
        elements.add(element);
    }

    /** A rule of a {@code dnat_<port>} chain; throws IllegalArgumentException when it is not one the agent writes. */
    void rule(JsonNode rule) {
        String chain = rule.path("chain").asString("");
        try {
            rulesByChain.computeIfAbsent(chain, ignored -> new ArrayList<>()).add(hop(rule));
        } catch (IllegalArgumentException | JacksonException e) {
            unreadable.add(chain);
            throw e;
        }
    }

    private static Hop hop(JsonNode rule) {
        String protocol = null;
        LabNetwork source = null;
        JsonNode dnat = null;
        for (JsonNode expr : rule.path("expr")) {
            JsonNode match = expr.path("match");
            JsonNode left = match.path("left");
            if ("l4proto".equals(left.path("meta").path("key").asString(""))) {
                protocol = match.path("right").asString("");
            } else if ("saddr".equals(left.path("payload").path("field").asString(""))) {
                source = network(match.path("right"));
            } else if (expr.has("dnat")) {
                dnat = expr.get("dnat");
            } else {
                throw new IllegalArgumentException("not a DNAT rule the agent writes");
            }
        }
        if (protocol == null || dnat == null) {
            throw new IllegalArgumentException("not a DNAT rule the agent writes");
        }
        return new Hop(protocol, source, dnat.path("addr").asString(""), dnat.path("port").asInt(0));
    }

    /** nft prints a /32 as a bare address and a wider network as a prefix. */
    private static LabNetwork network(JsonNode right) {
        if (right.has("prefix")) {
            return LabNetwork.of(right.get("prefix").path("addr").asString("") + "/"
                    + right.get("prefix").path("len").asInt(0));
        }
        return LabNetwork.of(right.asString("") + "/32");
    }

    /** The forwardings the elements and chains make, adding what cannot be read to {@code problems}. */
    void forwards(Set<ForwardedPort> into, List<String> problems) {
        for (JsonNode element : elements) {
            try {
                JsonNode key = NftTable.key(element.path(0)).path("concat");
                Protocol protocol = Protocol.of(key.path(0).asString(""));
                ConnPort conn = ConnPort.of(key.path(1).asInt(0));
                String chain = element.path(1).path("jump").path("target").asString("");
                List<Hop> hops = rulesByChain.getOrDefault(chain, List.of());
                if (!chain.equals(NftExtendedMappings.dnatChain(conn)) || hops.isEmpty() || unreadable.contains(chain)) {
                    throw new IllegalArgumentException("no DNAT chain");
                }
                Hop first = hops.get(0);
                List<LabNetwork> sources = new ArrayList<>();
                for (Hop hop : hops) {
                    if (!hop.protocol().equals(protocol.wire()) || !hop.address().equals(first.address())
                            || hop.port() != first.port() || (hop.source() == null) != (hops.size() == 1
                                    && first.source() == null)) {
                        throw new IllegalArgumentException("rules of one mapping disagree");
                    }
                    if (hop.source() != null) {
                        sources.add(hop.source());
                    }
                }
                into.add(new ForwardedPort(conn, LabAddress.of(first.address()), TargetPort.of(first.port()), protocol,
                        new AllowedSources(sources)));
            } catch (IllegalArgumentException e) {
                problems.add("unexpected element in " + NftExtendedMappings.DNAT_CHAINS + ": " + element);
            }
        }
    }
}

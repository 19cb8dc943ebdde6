package org.vlab.ipam.agent.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's table as {@code nft -j list table} shows it, reduced to what drift is judged on:
 * its chains (base chains with their hook and priority), each rule as a short signature of its
 * chain, comment and the values the agent chose (interface, log prefix and group, rate), and the
 * elements of its maps and sets (udp ones read as udp forwardings), the protocol of each
 * mapping's log rule, the DNAT chains of source-limited mappings read as the forwardings they
 * make ({@link NftDnatChains}); accept elements carry no sources, since sources are enforced at
 * DNAT only. Objects of other tables never appear in the listing.
 */
record NftTable(boolean exists, Set<String> chains, List<String> rules, Set<ForwardedPort> dnat,
        Set<ForwardedPort> forwards, Set<String> logJumps, Set<NftLogRule> logRules) {

    static final NftTable NOTHING = new NftTable(false, Set.of(), List.of(), Set.of(), Set.of(), Set.of(), Set.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> AGENTS_SETS = Set.of(NftRenderer.DNAT_MAP, NftRenderer.FORWARDS,
            NftRenderer.LOG_BLOCKS, NftExtendedMappings.DNAT_CHAINS, NftExtendedMappings.UDP_DNAT_MAP,
            NftExtendedMappings.UDP_FORWARDS);

    NftTable {
        chains = Set.copyOf(chains);
        rules = List.copyOf(rules);
        dnat = Set.copyOf(dnat);
        forwards = Set.copyOf(forwards);
        logJumps = Set.copyOf(logJumps);
        logRules = Set.copyOf(logRules);
    }

    static NftTable parse(String json) {
        if (json.isBlank()) {
            return NOTHING;
        }
        boolean exists = false;
        Set<String> chains = new HashSet<>();
        List<String> rules = new ArrayList<>();
        Set<ForwardedPort> dnat = new HashSet<>();
        Set<ForwardedPort> forwards = new HashSet<>();
        Set<String> logJumps = new HashSet<>();
        Set<NftLogRule> logRules = new HashSet<>();
        NftDnatChains dnatChains = new NftDnatChains();
        for (JsonNode object : JSON.readTree(json).path("nftables")) {
            exists |= object.has("table");
            if (object.has("chain")) {
                chains.add(chain(object.get("chain")));
            } else if (object.has("rule")) {
                JsonNode rule = object.get("rule");
                rules.add(rule(rule));
                logRule(rule, logRules);
                if (NftDnatChains.isDnatChain(rule.path("chain").asString(""))) {
                    try {
                        dnatChains.rule(rule);
                    } catch (IllegalArgumentException | JacksonException e) {
                        rules.add("unexpected rule in " + rule.path("chain").asString("") + ": " + rule.path("expr"));
                    }
                }
            } else if (object.has("map") || object.has("set")) {
                JsonNode set = object.has("map") ? object.get("map") : object.get("set");
                String name = set.path("name").asString("");
                if (!AGENTS_SETS.contains(name)) {
                    rules.add("unexpected set " + name);
                }
                for (JsonNode element : set.path("elem")) {
                    try {
                        element(name, element, dnat, forwards, logJumps, dnatChains);
                    } catch (IllegalArgumentException | JacksonException e) {
                        rules.add("unexpected element in " + name + ": " + element);
                    }
                }
            }
        }
        dnatChains.forwards(dnat, rules);
        return new NftTable(exists, chains, rules, dnat, forwards, logJumps, logRules);
    }

    /** A rule of a log block chain commented with its mapping: that mapping's log rule, with the protocol it matches. */
    private static void logRule(JsonNode rule, Set<NftLogRule> logRules) {
        String comment = rule.path("comment").asString("");
        String prefix = NftRenderer.COMMENT + ":";
        if (!rule.path("chain").asString("").startsWith("logs_") || !comment.startsWith(prefix)) {
            return;
        }
        for (JsonNode expr : rule.path("expr")) {
            JsonNode match = expr.path("match");
            if ("l4proto".equals(match.path("left").path("meta").path("key").asString(""))) {
                try {
                    logRules.add(new NftLogRule(ConnPort.of(Integer.parseInt(comment.substring(prefix.length()))),
                            Protocol.of(match.path("right").asString(""))));
                } catch (IllegalArgumentException e) {
                    // not a mapping's rule: the rule signatures show it as drift
                }
                return;
            }
        }
    }

    private static void element(String name, JsonNode element, Set<ForwardedPort> dnat, Set<ForwardedPort> forwards,
            Set<String> logJumps, NftDnatChains dnatChains) {
        switch (name) {
            case NftRenderer.DNAT_MAP -> dnat.add(forward(key(element.path(0)), element.path(1).path("concat")));
            case NftRenderer.FORWARDS -> {
                JsonNode concat = key(element).path("concat");
                forwards.add(forward(concat.path(0), concat.path(1), concat.path(2)));
            }
            case NftExtendedMappings.UDP_DNAT_MAP -> dnat.add(forward(key(element.path(0)),
                    element.path(1).path("concat")).withProtocol(Protocol.UDP));
            case NftExtendedMappings.UDP_FORWARDS -> {
                JsonNode concat = key(element).path("concat");
                forwards.add(forward(concat.path(0), concat.path(1), concat.path(2)).withProtocol(Protocol.UDP));
            }
            case NftExtendedMappings.DNAT_CHAINS -> dnatChains.element(element);
            case NftRenderer.LOG_BLOCKS -> logJumps.add(key(element.path(0)).asString("") + " "
                    + element.path(1).path("jump").path("target").asString(""));
            default -> throw new IllegalArgumentException("not one of the agent's sets");
        }
    }

    /** A base chain as {@code name type hook prio}, a regular one as its name. */
    static String chain(JsonNode chain) {
        String name = chain.path("name").asString("");
        return chain.has("hook") ? name + " " + chain.path("type").asString("") + " " + chain.path("hook").asString("")
                + " " + chain.path("prio").asInt(0) : name;
    }

    /** {@code chain comment: values}, the values those of the agent's choosing, in order. */
    static String rule(JsonNode rule) {
        StringBuilder signature = new StringBuilder(rule.path("chain").asString("")).append(' ')
                .append(rule.path("comment").asString("")).append(':');
        // a log block holds rules of both protocols: its rules' signatures name theirs
        boolean logBlock = rule.path("chain").asString("").startsWith("logs_");
        for (JsonNode expr : rule.path("expr")) {
            JsonNode match = expr.path("match");
            if ("iifname".equals(match.path("left").path("meta").path("key").asString(""))) {
                signature.append(" iifname=").append(match.path("right").asString(""));
            } else if (logBlock && "l4proto".equals(match.path("left").path("meta").path("key").asString(""))) {
                signature.append(" l4proto=").append(match.path("right").asString(""));
            } else if ("proto-dst".equals(match.path("left").path("ct").path("key").asString(""))
                    && match.path("right").isNumber()) {
                signature.append(" proto-dst=").append(match.path("right").asInt(0));
            } else if (expr.has("limit")) {
                JsonNode limit = expr.get("limit");
                signature.append(" limit=").append(limit.path("rate").asInt(0)).append('/')
                        .append(limit.path("per").asString("")).append('/').append(limit.path("burst").asInt(0));
            } else if (expr.has("log")) {
                JsonNode log = expr.get("log");
                signature.append(" log=").append(log.path("prefix").asString("")).append('|')
                        .append(log.has("group") ? log.get("group").asString("") : "-");
            } else if (expr.size() == 1) {
                signature.append(' ').append(expr.propertyNames().iterator().next());
            }
        }
        return signature.toString();
    }

    /** An element's key: {@code {"elem": {"val": ..., "comment": ...}}} when it has a comment, else the value itself. */
    static JsonNode key(JsonNode element) {
        return element.has("elem") ? element.get("elem").path("val") : element;
    }

    private static ForwardedPort forward(JsonNode connPort, JsonNode target) {
        return forward(connPort, target.path(0), target.path(1));
    }

    private static ForwardedPort forward(JsonNode connPort, JsonNode address, JsonNode targetPort) {
        return new ForwardedPort(ConnPort.of(connPort.asInt(0)), LabAddress.of(address.asString("")),
                TargetPort.of(targetPort.asInt(0)));
    }
}

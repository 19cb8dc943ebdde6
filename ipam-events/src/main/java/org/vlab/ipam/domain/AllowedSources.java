package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The client networks allowed to use a mapping: up to {@value #MAX} IPv4 CIDRs, each without
 * host bits, no duplicates. Empty ({@link #ANY}) means every source, as before the field
 * existed; there is deliberately no 0.0.0.0/0 to spell that.
 */
public record AllowedSources(List<LabNetwork> networks) {

    public static final int MAX = 16;
    public static final AllowedSources ANY = new AllowedSources(List.of());

    public AllowedSources {
        if (networks == null) {
            networks = List.of();
        }
        if (networks.size() > MAX) {
            throw new IllegalArgumentException("allowed_sources takes at most " + MAX + " networks; got " + networks.size());
        }
        // contains(null) throws on immutable lists, so look at each element
        for (LabNetwork network : networks) {
            if (network == null) {
                throw new IllegalArgumentException("allowed_sources must not contain null");
            }
        }
        if (new LinkedHashSet<>(networks).size() != networks.size()) {
            throw new IllegalArgumentException("allowed_sources names a network twice: " + networks);
        }
        networks = List.copyOf(networks);
    }

    /** Parses CIDRs such as {@code 203.0.113.0/24} or {@code 198.51.100.7/32}; absent means {@link #ANY}. */
    @JsonCreator
    public static AllowedSources of(List<String> cidrs) {
        if (cidrs == null) {
            return ANY;
        }
        if (cidrs.size() > MAX) {
            throw new IllegalArgumentException("allowed_sources takes at most " + MAX + " networks; got " + cidrs.size());
        }
        List<LabNetwork> networks = new ArrayList<>(cidrs.size());
        for (int i = 0; i < cidrs.size(); i++) {
            if (cidrs.get(i) != null && cidrs.get(i).endsWith("/0")) {
                // LabNetwork refuses a zero prefix with a message about lab networks; say what was meant
                throw new IllegalArgumentException("allowed_sources[" + i + "]: " + cidrs.get(i)
                        + " would allow every source; leave allowed_sources out for that");
            }
            try {
                networks.add(LabNetwork.of(cidrs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowed_sources[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new AllowedSources(networks);
    }

    public boolean isAny() {
        return networks.isEmpty();
    }

    public boolean allows(Ipv4Address source) {
        return isAny() || networks.stream().anyMatch(network -> network.contains(source));
    }

    @JsonValue
    public List<String> cidrs() {
        return networks.stream().map(LabNetwork::toString).toList();
    }

    @Override
    public String toString() {
        return isAny() ? "any" : String.join(",", cidrs());
    }

    /** For {@code @JsonInclude(CUSTOM)}: {@link #ANY} is left off the wire, as it was before the field existed. */
    public static final class AnyFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || (value instanceof AllowedSources sources && sources.isAny());
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}

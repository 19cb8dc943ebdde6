package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The transport protocol a mapping forwards: {@code tcp} (the default, and all there was
 * before api v1 grew the {@code protocol} field) or {@code udp}.
 */
public enum Protocol {
    TCP("tcp"),
    UDP("udp");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    /** Absent means tcp, so a client or producer that never names a protocol keeps today's behaviour. */
    @JsonCreator
    public static Protocol of(String value) {
        if (value == null) {
            return TCP;
        }
        for (Protocol protocol : values()) {
            if (protocol.wire.equals(value)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("protocol must be \"tcp\" or \"udp\"; got " + Quoted.of(value));
    }

    /** The lower-case name iptables, nft and conntrack use, as the wire does. */
    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    /**
     * For {@code @JsonInclude(CUSTOM)}: tcp is left off the wire, so a message for a tcp mapping
     * is byte for byte what it was before the field existed.
     */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == TCP;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}

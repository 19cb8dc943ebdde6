package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A connection port on the gateway's WAN side: the port a client connects to. */
public record ConnPort(int value) implements Comparable<ConnPort> {

    public ConnPort {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("conn_port must be between 1 and 65535; got " + value);
        }
    }

    @JsonCreator
    public static ConnPort of(int value) {
        return new ConnPort(value);
    }

    @JsonValue
    @Override
    public int value() {
        return value;
    }

    @Override
    public int compareTo(ConnPort other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}

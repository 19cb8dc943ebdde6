package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A TCP port on a lab machine that a mapping forwards to. */
public record TargetPort(int value) {

    public TargetPort {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("target_port must be between 1 and 65535; got " + value);
        }
    }

    @JsonCreator
    public static TargetPort of(int value) {
        return new TargetPort(value);
    }

    @JsonValue
    @Override
    public int value() {
        return value;
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}

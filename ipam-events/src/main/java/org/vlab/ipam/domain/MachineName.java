package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The name a user gave a lab machine (api-v1's {@code target_name}). */
public record MachineName(String value) {

    public MachineName {
        PrintableText.check("target_name", value);
    }

    @JsonCreator
    public static MachineName of(String value) {
        return new MachineName(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}

package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The vLab component a lab machine belongs to, such as "Windows" (api-v1's {@code target_component}). */
public record Component(String value) {

    public Component {
        PrintableText.check("target_component", value);
    }

    @JsonCreator
    public static Component of(String value) {
        return new Component(value);
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

package org.vlab.ipam.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A gateway's id, which is its owner's vLab username. It ends up inside AMQP routing keys
 * ({@code gateway.<id>.portmap}), RabbitMQ permission regexes, Redis hash tags and iptables
 * comments, so dots, braces, spaces and quotes are refused rather than escaped everywhere.
 */
public record GatewayId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public GatewayId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("gateway id must be 1-64 letters, digits, '_' or '-', starting with a letter or digit; got "
                    + Quoted.of(value));
        }
    }

    @JsonCreator
    public static GatewayId of(String value) {
        return new GatewayId(value);
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

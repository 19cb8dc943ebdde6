package org.vlab.ipam.domain;

/** An inclusive range of connection ports a gateway hands out, such as 50000-50100. */
public record PortRange(int min, int max) {

    public PortRange {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("port range must satisfy 1 <= min <= max <= 65535; got " + min + "-" + max);
        }
    }

    public boolean contains(ConnPort port) {
        return port.value() >= min && port.value() <= max;
    }

    public int size() {
        return max - min + 1;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}

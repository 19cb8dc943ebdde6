package org.vlab.ipam.agent.rules;

import java.util.Optional;
import org.vlab.ipam.domain.ConnPort;

/** One line of an iptables-save or iptables-restore text, and the mapping it belongs to, if any. */
public record Rule(String text, ConnPort connPort) {

    public Optional<ConnPort> mapping() {
        return Optional.ofNullable(connPort);
    }

    @Override
    public String toString() {
        return text;
    }
}

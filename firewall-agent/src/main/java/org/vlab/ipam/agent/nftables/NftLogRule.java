package org.vlab.ipam.agent.nftables;

import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;

/** A log rule in a log block: it logs the new connections of one connection port and protocol. */
record NftLogRule(ConnPort port, Protocol protocol) {
}

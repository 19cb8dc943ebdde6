package org.vlab.ipam.agent;

/** The kernel firewall the agent writes its rules to ({@code IPAM_FIREWALL_BACKEND}). */
enum FirewallBackend {
    /** {@code iptables-restore --noflush} into the agent's own chains. */
    IPTABLES,
    /** One {@code nft -f} transaction into the agent's own table {@code ip vlab_ipam}. */
    NFTABLES
}

package org.vlab.ipam.agent;

/** The kernel firewall the agent writes its rules to ({@code IPAM_FIREWALL_BACKEND}). */
public enum FirewallBackend {
    /** {@code iptables-restore --noflush} into the agent's own chains. */
    IPTABLES,
    /** One {@code nft -f} transaction into the agent's own table {@code ip vlab_ipam}. */
    NFTABLES;

    /** The name heartbeats report ({@code iptables}, {@code nftables}), as the variable takes it. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

/** The nftables backend: the agent's own table, rendered as pure {@code nft -f} text, applied atomically and read back with {@code nft -j}. */
package org.vlab.ipam.agent.nftables;

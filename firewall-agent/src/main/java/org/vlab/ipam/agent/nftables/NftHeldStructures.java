package org.vlab.ipam.agent.nftables;

import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.agent.rules.RuleOptions;

/**
 * Whether the agent's table holds the structures of udp and source-limited mappings
 * ({@link NftExtendedMappings}) as far as the agent knows, so a change opening such a mapping
 * writes them only when they are missing: their fixed rules make nf_tables validate the whole
 * table at the commit. Learnt from every read of the table and every transaction that committed;
 * not known after a transaction that failed, and then written again (which is harmless).
 */
final class NftHeldStructures {

    /** The structures' chains and rules as a read shows them, worked out once: they depend on the options alone. */
    private final NftTable structures;
    private volatile boolean held;

    NftHeldStructures(RuleOptions options) {
        this.structures = NftSignatures.structures(options);
    }

    boolean held() {
        return held;
    }

    /** What a read of the table found. */
    void read(NftTable table) {
        held = NftSignatures.holdsStructures(table, structures);
    }

    /**
     * {@code script} committed: a table it replaced is gone, structures it wrote are there. The
     * lines are recognised by {@link NftRenderer}'s and {@link NftExtendedMappings}' exact text;
     * should that change unnoticed, the agent would write the structures again, or a change
     * would be refused and a full sync would follow.
     */
    void committed(RestoreScript script) {
        String firstLine = NftExtendedMappings.structuresFirstLine();
        for (Rule line : script.lines()) {
            if (line.text().startsWith("delete table ")) {
                held = false;
            } else if (line.text().equals(firstLine)) {
                held = true;
            }
        }
    }

    /** A transaction failed: what the table holds is not known until the next read. */
    void unknown() {
        held = false;
    }
}

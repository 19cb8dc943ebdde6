package org.vlab.ipam.agent.nftables;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.domain.Protocol;

/**
 * The log rules the agent's table holds as far as the agent knows, those of closed mappings
 * included: what tells a change whether an opened mapping's log rule, or its block, is already
 * there. Learnt from every read of the table and kept up to date from every transaction that
 * committed (the agent's own lines, so their form is known); a transaction replacing the table
 * starts over.
 */
final class NftLoggedRules {

    private static final Pattern LOG_RULE = Pattern.compile("^add rule ip " + NftRenderer.TABLE
            + " logs_\\d+ meta l4proto (\\w+) .*");

    private final Set<NftLogRule> rules = ConcurrentHashMap.newKeySet();

    /**
     * A read-only view, for rendering a change: the sync loop renders and commits in turn, so no
     * change comes between; a copy would cost every change the number of rules.
     */
    Set<NftLogRule> view() {
        return Collections.unmodifiableSet(rules);
    }

    /** What a read of the table found. */
    void read(Set<NftLogRule> found) {
        rules.clear();
        rules.addAll(found);
    }

    /** {@code script} committed: the log rules it added, after those of a table it replaced. */
    void committed(RestoreScript script) {
        for (Rule line : script.lines()) {
            if (line.text().startsWith("delete table ")) {
                rules.clear();
            }
            Matcher added = LOG_RULE.matcher(line.text());
            if (added.matches() && line.connPort() != null) {
                rules.add(new NftLogRule(line.connPort(), Protocol.of(added.group(1))));
            }
        }
    }
}

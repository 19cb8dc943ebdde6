package org.vlab.ipam.agent.rules;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vlab.ipam.domain.ConnPort;

/**
 * The input of one firewall transaction ({@code iptables-restore --noflush} or {@code nft -f}),
 * line by line, so that an error reported at a line number can be traced to the mapping that
 * line belongs to.
 */
public final class RestoreScript {

    private final List<Rule> lines;

    public RestoreScript(List<Rule> lines) {
        this.lines = List.copyOf(lines);
    }

    public String text() {
        return lines.stream().map(Rule::text).collect(Collectors.joining("\n", "", "\n"));
    }

    /** The lines, each with the mapping it belongs to, if any. */
    public List<Rule> lines() {
        return lines;
    }

    public int lineCount() {
        return lines.size();
    }

    /** The mapping whose rule is on {@code lineNumber} (1-based, as iptables-restore counts). */
    public Optional<ConnPort> mappingAt(int lineNumber) {
        return lineNumber < 1 || lineNumber > lines.size() ? Optional.empty() : lines.get(lineNumber - 1).mapping();
    }

    /** The text of {@code lineNumber} (1-based), if the script has that line. */
    public Optional<String> lineAt(int lineNumber) {
        return lineNumber < 1 || lineNumber > lines.size() ? Optional.empty() : Optional.of(lines.get(lineNumber - 1).text());
    }

    /** The lines around {@code lineNumber}, numbered, the failing one marked: what an operator needs to see. */
    public String excerpt(int lineNumber, int context) {
        StringBuilder out = new StringBuilder();
        int from = Math.max(1, lineNumber - context);
        int to = Math.min(lines.size(), lineNumber + context);
        for (int number = from; number <= to; number++) {
            out.append(number == lineNumber ? "> " : "  ").append(number).append(": ")
                    .append(lines.get(number - 1).text()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}

package org.vlab.ipam.agent.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.ProcessCommandRunner;

/** The real firewall programs (iptables, nft, conntrack), run inside a test's network namespace. */
public record InNamespace(String namespace) implements CommandRunner {

    @Override
    public Completed run(List<String> command, String stdin, Duration timeout) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return new ProcessCommandRunner().run(full, stdin, timeout);
    }
}

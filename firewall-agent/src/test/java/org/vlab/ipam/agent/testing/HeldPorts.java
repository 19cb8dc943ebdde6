package org.vlab.ipam.agent.testing;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/**
 * What a test's kernel holds, as the agent's {@code KernelMappings} would know it, for the
 * change scripts a test writes by hand: each script is rendered against it and then counted as
 * committed.
 */
public final class HeldPorts implements Predicate<ConnPort> {

    /** A renderer of change scripts: {@code RuleBuilder::changeScript} or a firewall's. */
    @FunctionalInterface
    public interface ChangeRenderer {
        RestoreScript render(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
                Predicate<ConnPort> heldBefore);
    }

    private final Set<ConnPort> held = new HashSet<>();
    private final ChangeRenderer renderer;

    public HeldPorts(ChangeRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public boolean test(ConnPort port) {
        return held.contains(port);
    }

    /** The script closing {@code closed} and opening {@code opened}; from now on they count as committed. */
    public RestoreScript change(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened) {
        RestoreScript script = renderer.render(closed, opened, this);
        closed.forEach(forward -> held.remove(forward.connPort()));
        opened.forEach(forward -> held.add(forward.connPort()));
        return script;
    }
}

package org.vlab.ipam.agent.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;

/**
 * A {@link Firewall} that times what it delegates, as {@value #TRANSACTIONS} by kind ({@code
 * changes}: a sync of changes; {@code full}: a whole rule set) and outcome, and {@value #READS}:
 * the kernel's side of every change an operator waits for, with percentiles for dashboards.
 */
public final class TimedFirewall implements Firewall, AutoCloseable {

    static final String TRANSACTIONS = "ipam.agent.firewall.transaction";
    static final String READS = "ipam.agent.firewall.read";

    private final Firewall delegate;
    private final MeterRegistry registry;

    public TimedFirewall(Firewall delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public KernelState read() throws FirewallException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            KernelState state = delegate.read();
            ok = true;
            return state;
        } finally {
            timer(READS, "read back", null, ok).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        timed("full", () -> delegate.apply(script));
    }

    @Override
    public void applyChanges(RestoreScript script) throws FirewallException {
        timed("changes", () -> delegate.applyChanges(script));
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened) {
        return delegate.changeScript(closed, opened);
    }

    @Override
    public int rulesPerMapping() {
        return delegate.rulesPerMapping();
    }

    @Override
    public int ruleCount(Collection<ForwardedPort> forwards) {
        return delegate.ruleCount(forwards);
    }

    @Override
    public Optional<String> hostProblem() {
        return delegate.hostProblem();
    }

    @Override
    public String program() {
        return delegate.program();
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private interface Transaction {
        void run() throws FirewallException;
    }

    private void timed(String kind, Transaction transaction) throws FirewallException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            transaction.run();
            ok = true;
        } finally {
            timer(TRANSACTIONS, "firewall transactions (" + delegate.program() + "), committed or failed", kind, ok)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String name, String description, String kind, boolean ok) {
        Timer.Builder builder = Timer.builder(name).description(description).tag("outcome", ok ? "ok" : "failed")
                .publishPercentiles(0.5, 0.99);
        if (kind != null) {
            builder.tag("kind", kind);
        }
        return builder.register(registry);
    }
}

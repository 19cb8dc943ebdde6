package org.vlab.ipam.agent.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/**
 * A {@link Firewall} that times what it delegates, as {@value #TRANSACTIONS} by kind ({@code
 * changes}: a sync of changes; {@code full}: a whole rule set) and outcome, and {@value #READS}:
 * the kernel's side of every change an operator waits for, with percentiles for dashboards.
 */
public final class TimedFirewall implements Firewall, AutoCloseable {

    static final String TRANSACTIONS = "ipam.agent.firewall.transaction";
    static final String READS = "ipam.agent.firewall.read";

    private final Firewall delegate;
    private final Outcomes changes;
    private final Outcomes full;
    private final Outcomes reads;

    public TimedFirewall(Firewall delegate, MeterRegistry registry) {
        this.delegate = delegate;
        String transactions = "firewall transactions (" + delegate.program() + "), committed or failed";
        this.changes = new Outcomes(registry, TRANSACTIONS, transactions, "changes");
        this.full = new Outcomes(registry, TRANSACTIONS, transactions, "full");
        this.reads = new Outcomes(registry, READS, "read back", null);
    }

    @Override
    public KernelState observe() throws FirewallException {
        return reads.time(delegate::observe);
    }

    @Override
    public void adopt(KernelState state) {
        delegate.adopt(state);
    }

    @Override
    public boolean readsAtOneMoment() {
        return delegate.readsAtOneMoment();
    }

    @Override
    public void apply(RestoreScript script) throws FirewallException {
        full.time(() -> {
            delegate.apply(script);
            return null;
        });
    }

    @Override
    public void applyChanges(RestoreScript script) throws FirewallException {
        changes.time(() -> {
            delegate.applyChanges(script);
            return null;
        });
    }

    @Override
    public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
            Predicate<ConnPort> heldBefore) {
        return delegate.changeScript(closed, opened, heldBefore);
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

    private interface Call<T> {
        T run() throws FirewallException;
    }

    /** One timer per outcome, registered once: the change path only records. */
    private record Outcomes(Timer ok, Timer failed) {

        Outcomes(MeterRegistry registry, String name, String description, String kind) {
            this(timer(registry, name, description, kind, "ok"), timer(registry, name, description, kind, "failed"));
        }

        <T> T time(Call<T> call) throws FirewallException {
            long start = System.nanoTime();
            boolean ok = false;
            try {
                T result = call.run();
                ok = true;
                return result;
            } finally {
                (ok ? this.ok : failed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        private static Timer timer(MeterRegistry registry, String name, String description, String kind,
                String outcome) {
            Timer.Builder builder = Timer.builder(name).description(description).tag("outcome", outcome)
                    .publishPercentiles(0.5, 0.99);
            if (kind != null) {
                builder.tag("kind", kind);
            }
            return builder.register(registry);
        }
    }
}

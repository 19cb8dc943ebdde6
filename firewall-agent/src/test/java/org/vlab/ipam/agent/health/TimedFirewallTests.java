package org.vlab.ipam.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/** Every transaction and read-back is timed by kind and outcome, and still reaches the backend (or fails as it did). */
class TimedFirewallTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Recording backend = new Recording();
    private final TimedFirewall firewall = new TimedFirewall(backend, registry);
    private final RestoreScript script = new RestoreScript(List.of());

    @Test
    void timesChangesAndFullTransactionsApartAndPassesThemOn() throws FirewallException {
        firewall.applyChanges(script);
        firewall.applyChanges(script);
        firewall.apply(script);

        assertThat(backend.calls).containsExactly("changes", "changes", "full");
        assertThat(timer("changes", "ok").count()).isEqualTo(2);
        assertThat(timer("full", "ok").count()).isEqualTo(1);
    }

    @Test
    void aRefusedTransactionIsTimedAsFailedAndStillThrown() {
        backend.refuse = true;

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> firewall.applyChanges(script))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED));

        assertThat(timer("changes", "failed").count()).isEqualTo(1);
        assertThat(timer("changes", "ok").count()).isZero();
    }

    @Test
    void aReadTheSyncAdoptsReachesTheBackend() {
        Firewall.KernelState read = new StandInState();

        firewall.adopt(read);

        assertThat(backend.adopted).containsExactly(read);
    }

    @Test
    void aFailedReadBackIsTimedAsFailedAndStillThrown() {
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(firewall::read);

        assertThat(registry.get(TimedFirewall.READS).tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.get(TimedFirewall.READS).tag("outcome", "ok").timer().count()).isZero();
    }

    private Timer timer(String kind, String outcome) {
        return registry.get(TimedFirewall.TRANSACTIONS).tag("kind", kind).tag("outcome", outcome).timer();
    }

    private static final class Recording implements Firewall {

        final List<String> calls = new ArrayList<>();
        final List<KernelState> adopted = new ArrayList<>();
        boolean refuse;

        @Override
        public void adopt(KernelState state) {
            adopted.add(state);
        }

        @Override
        public KernelState observe() {
            throw new UnsupportedOperationException();
        }

        @Override
        public RestoreScript changeScript(Collection<ForwardedPort> closed, Collection<ForwardedPort> opened,
                Predicate<ConnPort> heldBefore) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void apply(RestoreScript script) throws FirewallException {
            record("full");
        }

        @Override
        public void applyChanges(RestoreScript script) throws FirewallException {
            record("changes");
        }

        private void record(String kind) throws FirewallException {
            if (refuse) {
                throw new FirewallException(Kind.REFUSED, "refused", 1, null);
            }
            calls.add(kind);
        }

        @Override
        public int rulesPerMapping() {
            return 3;
        }

        @Override
        public String program() {
            return "iptables-restore";
        }
    }

    /** A read no one looks into. */
    private static final class StandInState implements Firewall.KernelState {

        @Override
        public boolean holds(List<ForwardedPort> wanted) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String differenceFrom(List<ForwardedPort> wanted) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RestoreScript scriptTo(List<ForwardedPort> wanted) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ForwardedPort> forwardsNotIn(Collection<ForwardedPort> wanted) {
            throw new UnsupportedOperationException();
        }
    }
}

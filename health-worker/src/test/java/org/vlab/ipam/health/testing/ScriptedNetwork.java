package org.vlab.ipam.health.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;
import org.vlab.ipam.events.TcpProbe;
import org.vlab.ipam.health.probe.IcmpProber;
import org.vlab.ipam.health.probe.TcpProber;

/**
 * A lab network whose hosts answer or stay silent as the test says, for tests of the
 * worker's messaging where no real lab exists (lab addresses exclude loopback, and test
 * traffic never leaves this machine). The real probes are proven in LabReachabilityTests.
 * Every address answers until told otherwise; every probe sent is recorded.
 */
public final class ScriptedNetwork {

    private final Map<String, Boolean> alive = new ConcurrentHashMap<>();
    private final List<String> echoes = new CopyOnWriteArrayList<>();
    private final List<String> connects = new CopyOnWriteArrayList<>();

    public void answer(String address, boolean answers) {
        alive.put(address, answers);
    }

    private boolean answers(String address) {
        return alive.getOrDefault(address, true);
    }

    /** The addresses echoed to, one entry per echo probe, in order. */
    public List<String> echoes() {
        return List.copyOf(echoes);
    }

    /** The {@code address:port} of every TCP connect, in order. */
    public List<String> connects() {
        return List.copyOf(connects);
    }

    IcmpProbe echo(Ipv4Address address) {
        echoes.add(address.toString());
        return answers(address.toString()) ? new IcmpProbe(ProbeOutcome.ANSWERED, 3, 3, 0.25)
                : new IcmpProbe(ProbeOutcome.TIMED_OUT, 3, 0, null);
    }

    TcpProbe connect(LabAddress address, TargetPort port) {
        connects.add(address + ":" + port);
        return answers(address.toString()) ? new TcpProbe(port, ProbeOutcome.ANSWERED, 0.5)
                : new TcpProbe(port, ProbeOutcome.TIMED_OUT, null);
    }

    /**
     * The probers of a worker that probes this network; a source of the application, not a
     * scanned configuration, so no other test context picks it up.
     */
    public static final class Probers {

        @Bean
        @Primary
        IcmpProber scriptedIcmpProber(ScriptedNetwork network) {
            return network::echo;
        }

        @Bean
        @Primary
        TcpProber scriptedTcpProber(ScriptedNetwork network) {
            return network::connect;
        }
    }
}

package org.vlab.ipam.health.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;

/** Sends ICMP echoes and reports what came back; blocks for at most its deadline. */
public interface IcmpProber {

    /** The prober of a worker that may not send ICMP: it is never called. */
    IcmpProber OFF = address -> {
        throw new IllegalStateException("ICMP probes are off");
    };

    /** Echoes to one address. */
    IcmpProbe echo(Ipv4Address address);

    /**
     * Echoes to several addresses, in one run where the prober can (fping takes many targets);
     * here one after the other. A failure of the whole run is thrown; a failure that concerns
     * one address only is that address's result.
     *
     * @return a result for every address, in the order given
     */
    default Map<Ipv4Address, EchoResult> echoAll(List<Ipv4Address> addresses) {
        Map<Ipv4Address, EchoResult> results = new LinkedHashMap<>();
        for (Ipv4Address address : addresses) {
            try {
                results.put(address, EchoResult.of(echo(address)));
            } catch (RuntimeException e) {
                results.put(address, EchoResult.failed(e));
            }
        }
        return results;
    }
}

package org.vlab.ipam.health.probe;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.health.HealthWorkerProperties;

/** The probers as configured, ICMP only where the start-up check found it works, and the runner that bounds them. */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

    /** Found on the PATH; Debian installs it as /usr/bin/fping with the cap_net_raw file capability. */
    static final String FPING = "fping";

    @Bean
    IcmpProber icmpProber(HealthWorkerProperties properties) {
        return IcmpCheck.usable(new FpingIcmpProber(FPING, new OsProcessRunner(), properties.icmpEchoes(),
                properties.probeTimeout()));
    }

    @Bean
    TcpProber tcpProber(HealthWorkerProperties properties) {
        return new NioTcpProber(properties.probeTimeout());
    }

    @Bean(destroyMethod = "close")
    ProbeRunner probeRunner(IcmpProber icmpProber, TcpProber tcpProber, HealthWorkerProperties properties) {
        return new ProbeRunner(icmpProber, tcpProber, properties.probeConcurrency());
    }
}

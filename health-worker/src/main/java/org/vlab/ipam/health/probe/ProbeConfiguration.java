package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vlab.ipam.health.HealthWorkerProperties;

/** The probers as configured, ICMP only where the start-up check found it works, and the runner that bounds them. */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

    /** Found on the PATH; Debian installs it as /usr/bin/fping with the cap_net_raw file capability. */
    static final String FPING = "fping";
    /** Linux's SYN retries: the kernel gives up a connect after them. */
    static final Path SYN_RETRIES = Path.of("/proc/sys/net/ipv4/tcp_syn_retries");
    /** Linux's default number of SYN retries, when the setting cannot be read. */
    static final int DEFAULT_SYN_RETRIES = 6;

    @Bean
    IcmpProber icmpProber(HealthWorkerProperties properties) {
        return IcmpCheck.usable(new FpingIcmpProber(FPING, new OsProcessRunner(), properties.icmpEchoes(),
                properties.probeTimeout()));
    }

    @Bean
    TcpProber tcpProber(HealthWorkerProperties properties) {
        return new NioTcpProber(properties.probeTimeout(), kernelGiveUp(sysctl(SYN_RETRIES, DEFAULT_SYN_RETRIES)));
    }

    /** When the kernel gives up a connect: the first SYN waits 1 s, each retry twice as long (at most 120 s). */
    static Duration kernelGiveUp(int retries) {
        long seconds = 0;
        for (int i = 0; i <= retries; i++) {
            seconds += Math.min(120, 1L << Math.min(i, 7));
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * A numeric sysctl, or {@code otherwise}. Read by lines: procfs reports size 0 and Java 17's
     * {@code Files.readString} then returns only the first byte, so "10" read as 1.
     */
    static int sysctl(Path file, int otherwise) {
        try {
            return Integer.parseInt(Files.readAllLines(file, StandardCharsets.US_ASCII).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
    }

    @Bean(destroyMethod = "close")
    ProbeRunner probeRunner(IcmpProber icmpProber, TcpProber tcpProber, HealthWorkerProperties properties) {
        return new ProbeRunner(icmpProber, tcpProber, properties.probeConcurrency(), properties.icmpChunkSize());
    }
}

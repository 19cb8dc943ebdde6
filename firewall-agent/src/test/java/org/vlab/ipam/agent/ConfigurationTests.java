package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.messaging.DeclareTopology;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;

/** {@link AgentProperties} as application.yaml and the operators' variables bind it, and the reports of bad values. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsFillEverythingButTheGatewayAndItsWanInterface() {
        runner.withPropertyValues("ipam.gateway-id=alice", "ipam.wan-interface=eth0").run(context -> {
            AgentProperties properties = context.getBean(AgentProperties.class);
            assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("alice"));
            assertThat(properties.lanCidrs()).containsExactly(LabNetwork.of("192.168.1.0/24"));
            assertThat(properties.portRange()).isEqualTo(new PortRange(50000, 50100));
            assertThat(properties.firewallBackend()).isEqualTo(FirewallBackend.IPTABLES);
            assertThat(properties.reconcilePeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.logTarget()).isEqualTo(LogTarget.NFLOG);
            assertThat(properties.nflogGroup()).isEqualTo(5);
            assertThat(properties.logRate()).isEqualTo(10);
            assertThat(properties.logBurst()).isEqualTo(20);
            assertThat(properties.declareTopology()).isEqualTo(DeclareTopology.ALL);
            assertThat(properties.snapshotTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.wanAddress()).isNull();
            assertThat(properties.syncStallLimit()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void theWanAddressAndTheStallLimitBindFromTheirVariables() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3",
                "IPAM_WAN_ADDRESS", "203.0.113.9", "IPAM_SYNC_STALL_LIMIT", "45s");
        withEnvironment(environment).run(context -> {
                    AgentProperties properties = context.getBean(AgentProperties.class);
                    assertThat(properties.wanAddress()).isEqualTo(Ipv4Address.parse("203.0.113.9"));
                    assertThat(properties.syncStallLimit()).isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void aWanAddressThatIsNoAddressStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.wan-address=203.0.113.300"))
                .contains("ipam.wan-address", "203.0.113.300");
    }

    @Test
    void aStallLimitBelowOneSecondStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.sync-stall-limit=100ms"))
                .contains("ipam.syncStallLimit");
    }

    @Test
    void theAgentsOwnVariablesBind() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3",
                "IPAM_LOG_TARGET", "log", "IPAM_NFLOG_GROUP", "7", "IPAM_LOG_RATE", "50", "IPAM_LOG_BURST", "100",
                "IPAM_DECLARE_TOPOLOGY", "own-queues", "IPAM_RECONCILE_PERIOD", "5s", "IPAM_HEARTBEAT_PERIOD", "1m",
                "IPAM_SNAPSHOT_TIMEOUT", "3s");
        withEnvironment(environment).run(context -> {
                    AgentProperties properties = context.getBean(AgentProperties.class);
                    assertThat(properties.logTarget()).isEqualTo(LogTarget.LOG);
                    assertThat(properties.nflogGroup()).isEqualTo(7);
                    assertThat(properties.logRate()).isEqualTo(50);
                    assertThat(properties.logBurst()).isEqualTo(100);
                    assertThat(properties.declareTopology()).isEqualTo(DeclareTopology.OWN_QUEUES);
                    assertThat(properties.reconcilePeriod()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.heartbeatPeriod()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.snapshotTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(properties.ruleOptions()).isEqualTo(new RuleOptions(InterfaceName.of("ens3"),
                            LogTarget.LOG, 7, 50, 100));
                });
    }

    @Test
    void commandPublishersBindFromACommaListAndDefaultToAny() {
        withEnvironment(Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3",
                "IPAM_COMMAND_PUBLISHERS", "ipam-api,ipam-api-2")).run(context -> assertThat(
                        context.getBean(AgentProperties.class).commandPublishers()).containsExactly("ipam-api", "ipam-api-2"));
        withEnvironment(Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3")).run(context -> assertThat(
                context.getBean(AgentProperties.class).commandPublishers()).isEmpty());
    }

    @Test
    void aBlankCommandPublisherStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.command-publishers[0]=ipam-api", "--ipam.command-publishers[1]= "))
                .contains("ipam.commandPublishers[1]", "must be a RabbitMQ user name, not blank");
    }

    @Test
    void unknownLogTargetStopsStartupNamingTheProperty(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.log-target=syslog"))
                .contains("ipam.log-target", "syslog");
    }

    @Test
    void nflogGroupOutOfRangeStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.nflog-group=70000"))
                .contains("ipam.nflogGroup", "must be less than or equal to 65535");
    }

    @Test
    void logRateAboveWhatIptablesTakesStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.log-rate=20000"))
                .contains("ipam.logRate", "must be less than or equal to 10000");
    }

    @Test
    void unknownDeclareTopologyStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.declare-topology=exchanges"))
                .contains("ipam.declare-topology", "exchanges");
    }

    @Test
    void operatorsEnvironmentVariablesBind() {
        Map<String, Object> environment = Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3",
                "IPAM_LAN_CIDRS", "10.1.0.0/16,10.2.0.0/24", "VLAB_PORT_MIN", "40000", "VLAB_PORT_MAX", "40009",
                "IPAM_FIREWALL_BACKEND", "iptables");
        withEnvironment(environment).run(context -> {
                    AgentProperties properties = context.getBean(AgentProperties.class);
                    assertThat(properties.gatewayId()).isEqualTo(GatewayId.of("bob"));
                    assertThat(properties.wanInterface()).isEqualTo("ens3");
                    assertThat(properties.lanCidrs()).isEqualTo(List.of(LabNetwork.of("10.1.0.0/16"),
                            LabNetwork.of("10.2.0.0/24")));
                    assertThat(properties.portRange()).isEqualTo(new PortRange(40000, 40009));
                });
    }

    @Test
    void missingGatewayIdStopsStartupNamingTheProperty(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.wan-interface=eth0"))
                .contains("ipam.gatewayId", "is required (IPAM_GATEWAY_ID)");
    }

    @Test
    void gatewayIdThatCouldEscapeARoutingKeyIsRefused(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice.#", "--ipam.wan-interface=eth0"))
                .contains("ipam.gateway-id", "gateway id must be 1-64 letters, digits");
    }

    @Test
    void wanInterfaceMustBeAnInterfaceName(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0;reboot"))
                .contains("ipam.wanInterface", "must be a network interface name");
    }

    @Test
    void portMinAbovePortMaxStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.port-min=50100", "--ipam.port-max=50000"))
                .contains("ipam.port-min (VLAB_PORT_MIN) must not be greater than ipam.port-max (VLAB_PORT_MAX)");
    }

    @Test
    void lanCidrWithHostBitsStopsStartupWithTheCorrection(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.lan-cidrs=192.168.1.1/24"))
                .contains("ipam.lan-cidrs", "192.168.1.1/24 has host bits set; did you mean 192.168.1.0/24?");
    }

    @Test
    void lanCidrBroaderThanASlash8StopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.lan-cidrs=192.168.1.0/24,10.0.0.0/7"))
                .contains("ipam.lan-cidrs (IPAM_LAN_CIDRS): a lab network broader than a /8");
    }

    @Test
    void lanCidrOverlappingTheWanNetworkStopsStartupNamingBoth(CapturedOutput output) {
        // the loopback interface stands in for the WAN: its network, 127.0.0.0/8, is on every host
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=lo",
                "--ipam.lan-cidrs=192.168.1.0/24,127.0.5.0/24"))
                .contains("ipam.lan-cidrs", "IPAM_LAN_CIDRS [127.0.5.0/24] overlaps the network 127.0.0.0/8 of the WAN "
                        + "interface lo");
    }

    @Test
    void lanCidrsClearOfTheWanNetworkStart() {
        runner.withUserConfiguration(LabNetworksChecked.class)
                .withPropertyValues("ipam.gateway-id=alice", "ipam.wan-interface=lo", "ipam.lan-cidrs=10.0.0.0/8")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(LabNetworksCheck.class));
    }

    @Test
    void theNftablesBackendIsAcceptedFromTheEnvironment() {
        withEnvironment(Map.of("IPAM_GATEWAY_ID", "bob", "IPAM_WAN_INTERFACE", "ens3", "IPAM_FIREWALL_BACKEND",
                "nftables")).run(context -> assertThat(context.getBean(AgentProperties.class).firewallBackend())
                        .isEqualTo(FirewallBackend.NFTABLES));
    }

    @Test
    void anUnknownFirewallBackendStopsStartup(CapturedOutput output) {
        assertThat(startupFailure(output, "--ipam.gateway-id=alice", "--ipam.wan-interface=eth0",
                "--ipam.firewall-backend=pf"))
                .contains("ipam.firewall-backend", "pf");
    }

    /** The runner with {@code environment} as the process environment, as operators set it. */
    private ApplicationContextRunner withEnvironment(Map<String, Object> environment) {
        return runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environment)));
    }

    /** Starts an application with the given arguments, expects it to fail, and returns what it printed. */
    private static String startupFailure(CapturedOutput output, String... args) {
        SpringApplication application = new SpringApplication(PropertiesOnly.class, LabNetworksChecked.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args).close());
        return output.getAll();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AgentProperties.class)
    static class PropertiesOnly {
    }

    /** The start-up check of the lab networks against the host's real WAN interface. */
    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = HostAddresses.class)
    static class LabNetworksChecked {

        @Bean
        LabNetworksCheck labNetworksCheck(AgentProperties properties, HostAddresses host) {
            return new LabNetworksCheck(properties, host);
        }
    }
}

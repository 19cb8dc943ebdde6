package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vlab.ipam.agent.rules.DesiredRules;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.agent.testing.HeldPorts;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * The builder's text against the real iptables in a network namespace: the kernel takes it,
 * iptables-save gives it back character for character (which drift detection relies on), and
 * rules of others are left alone; and the real conntrack takes the agent's deletions.
 */
@NetnsTest
class IptablesInNamespaceTests {

    private static final String WAN = "wan0";
    private final NetworkLab network = new NetworkLab();
    private String namespace;
    private Iptables iptables;

    @BeforeEach
    void gateway() {
        namespace = network.namespace("fw");
        // rules may name interfaces that do not exist (yet): wan0 and old0 need not
        iptables = new Iptables(new InNamespace(namespace), IptablesVariant.DEFAULT);
    }

    @AfterEach
    void removeGateway() {
        network.close();
    }

    @Test
    void everyLogTargetAndRateReadsBackExactlyAsBuilt() throws FirewallException {
        List<RuleOptions> variants = List.of(options(LogTarget.NFLOG, 5, 10, 20), options(LogTarget.NFLOG, 0, 1, 5),
                options(LogTarget.LOG, 0, 300, 5), options(LogTarget.LOG, 0, 7, 10000), options(LogTarget.NONE, 0, 10, 20),
                options(LogTarget.NFLOG, 65535, 10000, 1));
        for (RuleOptions options : variants) {
            RuleBuilder builder = new RuleBuilder(options);
            DesiredRules desired = builder.build(ports(25));

            iptables.restore(builder.restoreScript(desired, ObservedRules.parse(iptables.save())));

            ObservedRules observed = ObservedRules.parse(iptables.save());
            assertThat(observed.matches(desired)).as("%s: %s", options, observed.differenceFrom(desired)).isTrue();
        }
    }

    @Test
    void rulesOfOthersSurviveAndStrayOrDuplicateJumpsAreReplaced() throws FirewallException {
        exec("iptables", "-w", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT");
        exec("iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "2222", "-j", "DNAT",
                "--to-destination", "192.168.1.5:22");
        exec("iptables", "-w", "-t", "nat", "-N", RuleBuilder.NAT_CHAIN);
        exec("iptables", "-w", "-N", RuleBuilder.FILTER_CHAIN);
        exec("iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-i", "old0", "-m", "comment", "--comment", "vlab-ipam",
                "-j", RuleBuilder.NAT_CHAIN);
        for (int i = 0; i < 2; i++) {
            exec("iptables", "-w", "-A", "FORWARD", "-i", WAN, "-m", "comment", "--comment", "vlab-ipam", "-j",
                    RuleBuilder.FILTER_CHAIN);
        }
        String others = othersRules();
        RuleBuilder builder = new RuleBuilder(options(LogTarget.NFLOG, 5, 10, 20));
        DesiredRules desired = builder.build(ports(3));

        iptables.restore(builder.restoreScript(desired, ObservedRules.parse(iptables.save())));

        ObservedRules observed = ObservedRules.parse(iptables.save());
        assertThat(observed.matches(desired)).as(observed.differenceFrom(desired)).isTrue();
        assertThat(othersRules()).isEqualTo(others).contains("--dport 2222", "RELATED,ESTABLISHED");
    }

    @Test
    void aRemovedMappingLeavesNoRuleBehind() throws FirewallException {
        RuleBuilder builder = new RuleBuilder(options(LogTarget.NFLOG, 5, 10, 20));
        iptables.restore(builder.restoreScript(builder.build(ports(3)), ObservedRules.parse(iptables.save())));
        List<ForwardedPort> remaining = new ArrayList<>(ports(3));
        remaining.remove(1);
        DesiredRules desired = builder.build(remaining);

        iptables.restore(builder.restoreScript(desired, ObservedRules.parse(iptables.save())));

        assertThat(ObservedRules.parse(iptables.save()).matches(desired)).isTrue();
        assertThat(iptables.save()).doesNotContain("50001");
    }

    @ParameterizedTest
    @EnumSource(value = IptablesVariant.class, names = {"NFT", "LEGACY"})
    void aBlocksFirstMappingCreatesItsChainsAndItsLastDeletesThem(IptablesVariant variant) throws FirewallException {
        Iptables tables = new Iptables(new InNamespace(namespace), variant);
        RuleBuilder builder = new RuleBuilder(options(LogTarget.NFLOG, 5, 10, 20));
        tables.restore(builder.restoreScript(builder.build(List.of()), ObservedRules.parse(tables.save())));
        HeldPorts kernel = new HeldPorts(builder::changeScript);
        ForwardedPort first = port(1);
        ForwardedPort ssh = port(50001);
        ForwardedPort neighbour = port(50099);
        ForwardedPort last = port(65535);

        tables.restore(kernel.change(List.of(), List.of(first, ssh, neighbour, last)));
        DesiredRules four = builder.build(List.of(first, ssh, neighbour, last));
        ObservedRules observed = ObservedRules.parse(tables.save());
        assertThat(observed.matches(four)).as(observed.differenceFrom(four)).isTrue();
        assertThat(observed.nat().blocks()).containsExactlyInAnyOrder("VLAB-IPAM-DNAT-0", "VLAB-IPAM-DNAT-50000",
                "VLAB-IPAM-DNAT-65500");

        tables.restore(kernel.change(List.of(ssh), List.of()));
        tables.restore(kernel.change(List.of(neighbour, first), List.of()));

        DesiredRules one = builder.build(List.of(last));
        observed = ObservedRules.parse(tables.save());
        assertThat(observed.matches(one)).as(observed.differenceFrom(one)).isTrue();
        assertThat(tables.save()).doesNotContain("VLAB-IPAM-DNAT-50000", "VLAB-IPAM-FWD-50000", "VLAB-IPAM-DNAT-0 ");
    }

    @Test
    void chainsAnOlderAgentLeftFlatAndStaleBlocksAreRewrittenIntoBlocks() throws FirewallException {
        RuleBuilder builder = new RuleBuilder(options(LogTarget.NFLOG, 5, 10, 20));
        DesiredRules desired = builder.build(ports(3));
        exec("iptables", "-w", "-t", "nat", "-N", RuleBuilder.NAT_CHAIN);
        exec("iptables", "-w", "-t", "nat", "-A", RuleBuilder.NAT_CHAIN, "-p", "tcp", "--dport", "50000", "-m", "comment",
                "--comment", "vlab-ipam:50000", "-j", "DNAT", "--to-destination", "192.168.1.10:22");
        exec("iptables", "-w", "-t", "nat", "-N", "VLAB-IPAM-DNAT-50700");
        exec("iptables", "-w", "-t", "nat", "-A", "VLAB-IPAM-DNAT-50700", "-j", "RETURN");
        exec("iptables", "-w", "-t", "nat", "-A", RuleBuilder.NAT_CHAIN, "-j", "VLAB-IPAM-DNAT-50700");
        exec("iptables", "-w", "-N", "VLAB-IPAM-FWD-50800");

        iptables.restore(builder.restoreScript(desired, ObservedRules.parse(iptables.save())));

        ObservedRules observed = ObservedRules.parse(iptables.save());
        assertThat(observed.matches(desired)).as(observed.differenceFrom(desired)).isTrue();
        assertThat(iptables.save()).doesNotContain("50700", "50800");
    }

    @Test
    void theRealConntrackTakesTheDeletionAndFindsNothingToDeleteNoFailure() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Conntrack conntrack = new Conntrack(new InNamespace(namespace), meters);

        assertThat(conntrack.closeSessions(ports(2))).isZero();

        assertThat(meters.counter(Conntrack.FAILURES).count()).as("conntrack refused its arguments").isZero();
    }

    /**
     * iptables-restore commits table by table, in both variants: when the filter table is
     * refused, the nat table before it is already committed. The agent relies on the read-back
     * of the next sync to finish the job, and this is safe because the filter rules only accept
     * connections the agent's own DNAT rules made (see the README).
     */
    @ParameterizedTest
    @EnumSource(value = IptablesVariant.class, names = {"NFT", "LEGACY"})
    void theRestoreCommitsPerTableSoARefusedFilterLeavesTheNatCommitted(IptablesVariant variant) throws Exception {
        String input = "*nat\n:" + RuleBuilder.NAT_CHAIN + " - [0:0]\n-A " + RuleBuilder.NAT_CHAIN
                + " -p tcp -m tcp --dport 50001 -j DNAT --to-destination 192.168.1.10:22\nCOMMIT\n"
                + "*filter\n:" + RuleBuilder.FILTER_CHAIN + " - [0:0]\n-A " + RuleBuilder.FILTER_CHAIN
                + " -j NO-SUCH-CHAIN\nCOMMIT\n";

        CommandRunner.Completed run = new InNamespace(namespace).run(variant.restore(), input, Duration.ofSeconds(30));

        String save = new Iptables(new InNamespace(namespace), variant).save();
        System.out.println("[per-table] " + variant + ": exit " + run.exitCode() + ", nat committed "
                + save.contains("--dport 50001") + ", filter chain created " + save.contains(":" + RuleBuilder.FILTER_CHAIN));
        assertThat(run.exitCode()).as(run.stderr()).isNotZero();
        assertThat(save).as("nat committed").contains("-A " + RuleBuilder.NAT_CHAIN + " -p tcp -m tcp --dport 50001");
        assertThat(save).as("filter refused").doesNotContain(":" + RuleBuilder.FILTER_CHAIN);
    }

    @Test
    void theVariantHoldingTheHostsRulesIsDetected() {
        exec("iptables-legacy", "-w", "-A", "FORWARD", "-m", "comment", "--comment", "admin", "-j", "ACCEPT");

        assertThat(IptablesVariant.detect(new InNamespace(namespace))).isEqualTo(IptablesVariant.LEGACY);

        exec("iptables-nft", "-w", "-A", "FORWARD", "-j", "ACCEPT");
        exec("iptables-nft", "-w", "-A", "FORWARD", "-j", "DROP");
        assertThat(IptablesVariant.detect(new InNamespace(namespace))).isEqualTo(IptablesVariant.NFT);
    }

    private String othersRules() throws FirewallException {
        return iptables.save().lines().filter(line -> line.startsWith("-A") && !line.contains("VLAB-IPAM"))
                .reduce("", (all, line) -> all + line + "\n");
    }

    private void exec(String... command) {
        network.exec(namespace, command);
    }

    private static RuleOptions options(LogTarget target, int group, int rate, int burst) {
        return new RuleOptions(InterfaceName.of(WAN), target, group, rate, burst);
    }

    private static ForwardedPort port(int connPort) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of("192.168.1.10"), TargetPort.of(22));
    }

    private static List<ForwardedPort> ports(int count) {
        List<ForwardedPort> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(new ForwardedPort(ConnPort.of(50000 + i), LabAddress.of("192.168.1." + (10 + i % 200)),
                    TargetPort.of(i % 2 == 0 ? 22 : 3389)));
        }
        return ports;
    }
}

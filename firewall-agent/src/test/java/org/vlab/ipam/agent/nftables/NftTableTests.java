package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;

/**
 * What {@code nft -j} printed (nft 1.0.6) for the renderer's table with two mappings, plus an
 * element an administrator added by hand without a comment: read as chains, rule signatures
 * and elements, and judged against the wanted mappings.
 */
class NftTableTests {

    private static final List<ForwardedPort> TWO = List.of(port(50001, "192.168.1.10", 22),
            port(50002, "192.168.1.11", 3389));
    private final NftRenderer renderer = new NftRenderer(new RuleOptions(InterfaceName.of("wan0"), LogTarget.NFLOG, 5,
            10, 20));

    @Test
    void theListingReadsAsTheRenderersChainsRulesAndElements() throws IOException {
        NftTable table = NftTable.parse(listing());

        assertThat(table.exists()).isTrue();
        assertThat(table.chains()).containsExactlyInAnyOrder("prerouting nat prerouting -101",
                "forward filter forward -1", "mapped", "logs_49984");
        assertThat(table.rules()).contains("prerouting vlab-ipam: iifname=wan0 match dnat",
                "logs_49984 vlab-ipam:50001: l4proto=tcp proto-dst=50001 limit=10/second/20 log=VLABFWD:50001|5");
        assertThat(table.dnat()).containsAll(TWO).contains(port(50009, "192.168.1.99", 22));
        assertThat(table.forwards()).containsExactlyInAnyOrderElementsOf(TWO);
        assertThat(table.logJumps()).containsExactly("49984 logs_49984");
        assertThat(table.logRules()).containsExactlyInAnyOrder(new NftLogRule(ConnPort.of(50001), Protocol.TCP),
                new NftLogRule(ConnPort.of(50002), Protocol.TCP));
    }

    @Test
    void aHandAddedElementIsDriftAndItsForwardingIsClosedByTheRepair() throws Exception {
        Firewall.KernelState state = stateOf(listing());

        assertThat(state.holds(TWO)).isFalse();
        assertThat(state.differenceFrom(TWO)).isEqualTo("dnat_targets elements: 0 missing, 1 unexpected");
        assertThat(state.forwardsNotIn(TWO)).containsExactly(port(50009, "192.168.1.99", 22));
        assertThat(state.scriptTo(TWO).text()).isEqualTo(renderer.fullScript(TWO).text());
    }

    @Test
    void anotherInterfaceOrLogOptionIsDriftToo() throws Exception {
        String listing = listing().replace(", [50009, {\"concat\": [\"192.168.1.99\", 22]}]", "");

        assertThat(stateOf(listing).differenceFrom(TWO)).isEqualTo("none");
        assertThat(stateOf(listing.replace("\"wan0\"", "\"wan1\"")).differenceFrom(TWO))
                .isEqualTo("rules: 2 missing, 2 unexpected");
        assertThat(stateOf(listing.replace("\"group\": 5", "\"group\": 6")).holds(TWO)).isFalse();
    }

    @Test
    void aSetOfSomeoneElseInTheTableIsDriftAndAnUnreadableListingARefusal() throws Exception {
        String withSet = listing().replace("{\"set\": {\"family\": \"ip\", \"name\": \"forwards\"",
                "{\"set\": {\"family\": \"ip\", \"name\": \"extra\", \"table\": \"vlab_ipam\"}}, "
                        + "{\"set\": {\"family\": \"ip\", \"name\": \"forwards\"");

        assertThat(stateOf(withSet).differenceFrom(TWO)).contains("rules: 0 missing, 1 unexpected");
        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> stateOf("{\"nftables\": [")).satisfies(
                e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.REFUSED));
    }

    @Test
    void noTableIsNothingHeldAndEveryMappingMissing() throws Exception {
        Firewall.KernelState state = stateOf("");

        assertThat(state.holds(List.of())).isFalse();
        assertThat(state.drifted(TWO)).isTrue();
        assertThat(state.differenceFrom(TWO)).isEqualTo("table vlab_ipam missing");
        assertThat(state.forwardsNotIn(List.of())).isEmpty();
    }

    @Test
    void logRulesOfClosedMappingsAreNeverDriftAndAskForARewriteOnlyPastAThousand() throws Exception {
        String two = listing().replace(", [50009, {\"concat\": [\"192.168.1.99\", 22]}]", "");

        assertThat(stateOf(withClosedMappingsLogRules(two, 1000)).differenceFrom(TWO)).isEqualTo("none");
        Firewall.KernelState overTheLimit = stateOf(withClosedMappingsLogRules(two, 1001));
        assertThat(overTheLimit.differenceFrom(TWO)).isEqualTo(
                "1001 log rules of closed mappings, more than the 1000 a table keeps before it is written anew");
        assertThat(overTheLimit.holds(TWO)).isFalse();
        assertThat(overTheLimit.drifted(TWO)).as("a rewrite to clear them is housekeeping, not drift").isFalse();
        assertThat(stateOf(withClosedMappingsLogRules(listing(), 1001)).drifted(TWO)).isTrue();
    }

    /** {@code listing} with the log rules the agent leaves for {@code count} closed tcp mappings from port 51000. */
    private static String withClosedMappingsLogRules(String listing, int count) {
        StringBuilder rules = new StringBuilder();
        for (int port = 51000; port < 51000 + count; port++) {
            rules.append(String.format(Locale.ROOT, "{\"rule\": {\"family\": \"ip\", \"table\": \"vlab_ipam\", "
                    + "\"chain\": \"logs_%d\", \"handle\": %d, \"comment\": \"vlab-ipam:%d\", \"expr\": ["
                    + "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"l4proto\"}}, \"right\": \"tcp\"}}, "
                    + "{\"match\": {\"op\": \"==\", \"left\": {\"ct\": {\"key\": \"proto-dst\", \"dir\": \"original\"}}, "
                    + "\"right\": %d}}, {\"limit\": {\"rate\": 10, \"burst\": 20, \"per\": \"second\"}}, "
                    + "{\"log\": {\"prefix\": \"VLABFWD:%d\", \"group\": 5}}]}}, ", port / 32 * 32, 10000 + port, port, port,
                    port));
        }
        return listing.replace("{\"table\": {", rules + "{\"table\": {");
    }

    @Test
    void aTableObservedTeachesTheBackendNothingUntilTheSyncAdoptsIt() throws Exception {
        NftablesFirewall firewall = new NftablesFirewall(printing(listing()), renderer);
        List<ForwardedPort> third = List.of(port(50003, "192.168.1.12", 22));
        String blockOpening = "add chain ip " + NftRenderer.TABLE + " logs_49984";

        Firewall.KernelState observed = firewall.observe();
        assertThat(firewall.changeScript(List.of(), third, ignored -> false).text())
                .as("the log rules read are not yet the backend's: the block is opened").contains(blockOpening);

        firewall.adopt(observed);
        assertThat(firewall.changeScript(List.of(), third, ignored -> false).text())
                .as("adopted: the block's chain is known to be there").doesNotContain(blockOpening);
    }

    private static Nft printing(String listing) {
        return new Nft((command, stdin, timeout) -> new CommandRunner.Completed(
                listing.isEmpty() ? 1 : 0, listing, listing.isEmpty() ? "Error: No such file or directory" : ""));
    }

    private Firewall.KernelState stateOf(String listing) throws FirewallException {
        return new NftablesFirewall(printing(listing), renderer).read();
    }

    private static String listing() throws IOException {
        return Files.readString(Path.of("src", "test", "resources", "nft", "two-mappings-and-a-hand-added-element.json"));
    }
}

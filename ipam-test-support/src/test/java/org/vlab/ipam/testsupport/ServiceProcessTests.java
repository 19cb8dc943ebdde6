package org.vlab.ipam.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceProcessTests {

    private static final Path JAR = Path.of("ipam-api.jar");

    @Test
    void startsOnTheApplicationPortTheCallerChose() {
        List<String> command = ServiceProcess.command(List.of("ip", "netns", "exec", "gw"), JAR, 18080, 18081,
                List.of("--ipam.apply-wait=5s"));

        assertThat(command).startsWith("ip", "netns", "exec", "gw").endsWith("-jar", JAR.toString(),
                "--server.port=18080", "--management.server.port=18081", "--ipam.apply-wait=5s");
        assertThat(command).filteredOn(word -> word.startsWith("--server.port=")).containsExactly("--server.port=18080");
    }

    @Test
    void startsOnAnyFreeApplicationPortByDefault() {
        assertThat(ServiceProcess.command(List.of(), JAR, 0, 18081, List.of()))
                .endsWith("--server.port=0", "--management.server.port=18081");
    }

    @Test
    void refusesAPortInTheArgumentsWhichSpringWouldJoinWithItsOwn() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceProcess.command(List.of(), JAR, 0, 18081, List.of("--server.port=8080")))
                .withMessageContaining("--server.port=8080");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceProcess.command(List.of(), JAR, 0, 18081, List.of("--management.server.port=1")));
    }
}

package org.vlab.ipam.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import org.junit.jupiter.api.Test;

@NetnsTest
class NetworkLabTests {

    @Test
    void carriesRealTcpBetweenNamespacesAndLeavesNothingBehind() {
        List<String> created;
        try (NetworkLab lab = new NetworkLab()) {
            String client = lab.namespace("client");
            String server = lab.namespace("server");
            lab.link(client, "10.99.0.1/24", server, "10.99.0.2/24");
            lab.start(server, "socat", "TCP-LISTEN:7000,reuseaddr,fork", "SYSTEM:echo hello-from-server");

            String answer = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> lab.exec(client, "socat", "-T", "2", "-", "TCP:10.99.0.2:7000"), a -> !a.isBlank());

            assertThat(answer.strip()).isEqualTo("hello-from-server");
            // Traffic stays between the lab's own namespaces: a closed port there answers with a reset.
            assertThatIllegalStateException().isThrownBy(
                    () -> lab.exec(client, "socat", "-T", "1", "-", "TCP:10.99.0.2:7001,connect-timeout=1"))
                    .withMessageContaining("Connection refused");
            created = lab.namespaces();
        }
        assertThat(NetworkLab.run("ip", "netns", "list")).doesNotContain(created);
    }
}

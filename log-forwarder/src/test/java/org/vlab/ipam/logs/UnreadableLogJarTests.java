package org.vlab.ipam.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vlab.ipam.logs.ForwarderApp.GATEWAY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The jar as the containers run it, as uid 10001, against a {@code kern.log} owned by
 * {@code root:adm} with mode 0640: without the group {@code adm} it says why it cannot read
 * and health is DOWN; with {@code adm} (gid 4) as a supplementary group, as the image and the
 * compose file give it, it forwards. Needs root to start the jar as another user.
 */
@IntegrationTest
@NetnsTest
class UnreadableLogJarTests {

    private static final String USER = "10001";
    private static final String ADM = "4";

    @Test
    void withoutTheLogsGroupItSaysWhyAndHealthIsDownWithItItForwards(TestVhost vhost, @TempDir Path directory)
            throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = directory.resolve("kern.log");
        Files.writeString(log, IntStream.range(0, 20).mapToObj(SampleLines::line).collect(Collectors.joining("\n", "", "\n")));
        PosixFileAttributeView view = Files.getFileAttributeView(log, PosixFileAttributeView.class);
        GroupPrincipal adm = log.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("adm");
        view.setGroup(adm);
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
        Path state = Files.createDirectory(directory.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> environment = Map.of("IPAM_GATEWAY_ID", GATEWAY.value(), "IPAM_LOG_FILE", log.toString(),
                "IPAM_LOG_STATE_DIR", state.toString(), "IPAM_BATCH_LINGER", "100ms");
        List<String> arguments = vhost.springProperties().entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();

        try (ServiceProcess withoutAdm = ServiceProcess.start(
                List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups"), "127.0.0.1",
                ServiceProcess.serviceJar(), arguments, environment)) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "DOWN".equals(withoutAdm.healthStatus()));
            assertThat(withoutAdm.outputLines()).anyMatch(line -> line.contains(log + ": permission denied: it is root:adm "
                    + "rw-r-----, and the forwarder runs as uid " + USER));
        }

        try (ReceivedBatches received = new ReceivedBatches(vhost.connectionFactory(), GATEWAY);
                ServiceProcess withAdm = ServiceProcess.start(
                        List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--groups=" + ADM), "127.0.0.1",
                        ServiceProcess.serviceJar(), arguments, environment)) {
            withAdm.awaitHealthy(Duration.ofSeconds(180));
            await().atMost(Duration.ofSeconds(60)).until(() -> received.records() >= 20);
            received.assertEveryLineOnceInOrder(20, GATEWAY);
        }
    }
}

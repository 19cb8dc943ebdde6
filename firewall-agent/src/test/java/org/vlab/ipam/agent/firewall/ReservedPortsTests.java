package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vlab.ipam.domain.PortRange;

/** The connection-port range joins whatever ports are reserved already, in the kernel's list format. */
class ReservedPortsTests {

    @TempDir
    Path directory;

    @Test
    void addsTheRangeToAnEmptyList() throws IOException {
        Path file = file("\n");

        assertThat(new ReservedPorts(file).reserve(new PortRange(50000, 50100))).isTrue();

        assertThat(Files.readString(file)).isEqualTo("50000-50100\n");
    }

    @Test
    void keepsOtherReservationsAndMergesOverlaps() throws IOException {
        Path file = file("8080,49990-50010,50101,60000-60010\n");

        new ReservedPorts(file).reserve(new PortRange(50000, 50100));

        assertThat(Files.readString(file)).isEqualTo("8080,49990-50101,60000-60010\n");
    }

    @Test
    void writesNothingWhenTheRangeIsReservedAlready() throws IOException {
        Path file = file("40000-60000\n");

        assertThat(new ReservedPorts(file).reserve(new PortRange(50000, 50100))).isFalse();
        assertThat(Files.readString(file)).isEqualTo("40000-60000\n");
    }

    @Test
    void refusesAListItCannotRead() throws IOException {
        Path file = file("50000-abc\n");

        assertThatIllegalArgumentException().isThrownBy(() -> new ReservedPorts(file).reserve(new PortRange(1, 2)))
                .withMessageContaining("50000-abc");
        assertThat(Files.readString(file)).isEqualTo("50000-abc\n");
    }

    private Path file(String content) throws IOException {
        return Files.writeString(directory.resolve("ip_local_reserved_ports"), content);
    }

    @Test
    void theWarningNamesTheRealCauseOfAFailedReservation() {
        assertThat(ReservedPorts.remedy(new java.nio.file.FileSystemException(ReservedPorts.KERNEL_FILE.toString(), null,
                "Read-only file system"))).contains("/proc/sys is read-only here (a container)", "sysctls");
        assertThat(ReservedPorts.remedy(new java.nio.file.AccessDeniedException(ReservedPorts.KERNEL_FILE.toString())))
                .contains("needs uid 0");
    }

    @Test
    void aReadOnlyFileThatAlreadyHoldsTheRangeIsFine(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("ip_local_reserved_ports"), "8080,50000-50100\n");
        file.toFile().setReadOnly();

        assertThat(new ReservedPorts(file).reserve(new PortRange(50000, 50100))).isFalse();
    }
}

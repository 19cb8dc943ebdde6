package org.vlab.ipam.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class DeclareTopologyTests {

    @Test
    void readsTheModesAsOperatorsWriteThem() {
        assertThat(DeclareTopology.parse("all")).isEqualTo(DeclareTopology.ALL);
        assertThat(DeclareTopology.parse("own-queues")).isEqualTo(DeclareTopology.OWN_QUEUES);
        assertThat(DeclareTopology.parse("OWN_QUEUES")).isEqualTo(DeclareTopology.OWN_QUEUES);
        assertThat(DeclareTopology.parse(" none ")).isEqualTo(DeclareTopology.NONE);
    }

    @Test
    void refusesAnUnknownModeNamingTheProperty() {
        assertThatIllegalStateException().isThrownBy(() -> DeclareTopology.parse("some"))
                .withMessageContaining("ipam.declare-topology").withMessageContaining("\"some\"");
    }
}

package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vlab.ipam.events.MappingState;

/** The mapping JSON the scripts write, read back into what snapshots tell the agent. */
class MappingRecordTests {

    static final String REMOVING = "{\"conn_port\":50013,\"target_addr\":\"192.168.1.20\",\"target_port\":22,"
            + "\"name\":\"win01\",\"component\":\"Windows\",\"state\":\"removing\",\"generation\":7,"
            + "\"created\":\"2026-12-04T10:00:00Z\"";

    @Test
    void aSnapshotOfAnExpiringMappingCarriesTheReasonSoTheAgentCanRepeatIt() {
        Mapping expiring = Mapping.fromJson(REMOVING + ",\"removal_reason\":\"expired\"}");

        assertThat(expiring.snapshot().state()).isEqualTo(MappingState.REMOVING);
        assertThat(expiring.snapshot().reason()).isEqualTo("expired");
        assertThat(expiring.snapshot(null).reason()).isEqualTo("expired");
    }

    @Test
    void aMappingTheUserRemovesHasNoReason() {
        assertThat(Mapping.fromJson(REMOVING + "}").snapshot().reason()).isNull();
    }
}

package org.vlab.ipam.events;

import java.util.List;
import org.vlab.ipam.domain.GatewayId;

/**
 * Consecutive FORWARD records of one gateway's log, in file order. Every record names the
 * batch's gateway, so a consumer can trust either (a forwarder cannot attribute records to
 * another gateway inside a batch its routing key lets it publish).
 */
public record FirewallLogBatch(GatewayId gateway, LogSource source, List<FirewallLogRecord> records)
        implements IpamMessage {

    public FirewallLogBatch {
        Require.present(gateway, "gateway");
        Require.present(source, "source");
        records = Require.list(records, "records");
        for (int i = 0; i < records.size(); i++) {
            if (!gateway.equals(records.get(i).gateway())) {
                throw new IllegalArgumentException("records[" + i + "].gateway " + records.get(i).gateway()
                        + " differs from the batch's gateway " + gateway);
            }
        }
    }
}

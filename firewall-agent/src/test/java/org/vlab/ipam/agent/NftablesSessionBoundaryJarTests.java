package org.vlab.ipam.agent;

import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * The same trust boundaries through the nftables backend: a removed or re-targeted mapping's
 * sessions end (the agent deletes their conntrack entries as with iptables), and routed
 * traffic to a port that is also a connection port is not rewritten.
 */
@NetnsTest
@IntegrationTest
class NftablesSessionBoundaryJarTests extends SessionBoundaryJarTests {

    @Override
    String backend() {
        return "nftables";
    }
}

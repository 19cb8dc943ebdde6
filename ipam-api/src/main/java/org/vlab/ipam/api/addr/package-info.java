/** Address records: GET /api/1/ipam/addr and the reachability verdicts the health worker reports. */
package org.vlab.ipam.api.addr;

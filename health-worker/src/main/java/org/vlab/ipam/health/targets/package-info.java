/** What to probe: the gateway's recorded addresses and ports, from the API's snapshot, taken afresh before every cycle. */
package org.vlab.ipam.health.targets;

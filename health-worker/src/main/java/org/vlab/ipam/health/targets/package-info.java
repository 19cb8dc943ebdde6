/** What to probe: the gateway's recorded addresses and ports, from the API's snapshot, refreshed when port-map events say it changed. */
package org.vlab.ipam.health.targets;

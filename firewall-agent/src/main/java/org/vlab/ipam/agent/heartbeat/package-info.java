/** The agent's periodic report to the API: WAN address, lab networks, backend, rule count and version. */
package org.vlab.ipam.agent.heartbeat;

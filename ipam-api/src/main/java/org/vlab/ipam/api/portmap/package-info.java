/** Port maps: the /api/1/ipam/portmap routes, their atomic Redis records, the commands to the agent and the wait for its answer. */
package org.vlab.ipam.api.portmap;

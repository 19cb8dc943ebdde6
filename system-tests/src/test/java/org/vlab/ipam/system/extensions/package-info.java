/** The port-map extensions of issue 15 (leases, usage, cool-down, UDP, allowed sources) end to end, with real packets. */
package org.vlab.ipam.system.extensions;

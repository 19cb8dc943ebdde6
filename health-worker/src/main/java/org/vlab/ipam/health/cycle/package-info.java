/** The probe cycle: runs on a period without ever overlapping, judges each address, publishes its reachability and counts it all. */
package org.vlab.ipam.health.cycle;

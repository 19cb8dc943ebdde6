/** The probes (ICMP echo through fping, TCP connect through NIO) and the runner that keeps a bounded number of them in flight. */
package org.vlab.ipam.health.probe;

/** Measurements of the agent's speed against the real broker and iptables, run on demand and written to a file, never asserted. */
package org.vlab.ipam.agent.benchmark;

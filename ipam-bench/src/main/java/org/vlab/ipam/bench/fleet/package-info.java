/** A fleet of simulated gateway agents on the real broker: their queues, their answers, their heartbeats. */
package org.vlab.ipam.bench.fleet;

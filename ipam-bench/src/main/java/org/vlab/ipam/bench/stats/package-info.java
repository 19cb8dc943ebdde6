/** Latency samples, their percentiles, and the summary row a benchmark run prints. */
package org.vlab.ipam.bench.stats;

/** Closed-loop load: a fixed number of operations in flight, each started as another completes. */
package org.vlab.ipam.bench.load;

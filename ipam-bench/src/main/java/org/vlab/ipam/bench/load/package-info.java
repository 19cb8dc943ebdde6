/** Closed-loop load through REST: a fixed number of operations in flight, or create-then-delete cycles one at a time. */
package org.vlab.ipam.bench.load;

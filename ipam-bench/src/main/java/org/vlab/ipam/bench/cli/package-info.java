/** The command line bench scripts call: which benchmark, against what, at which concurrency. */
package org.vlab.ipam.bench.cli;

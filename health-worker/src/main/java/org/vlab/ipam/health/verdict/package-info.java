/** Hysteresis: turns each cycle's observation of an address into a verdict that changes only after enough agreeing cycles. */
package org.vlab.ipam.health.verdict;

/** The health worker: probes every recorded lab address of its gateway (ICMP and TCP) on a period and publishes reachability. */
package org.vlab.ipam.health;

/** The Redis key layout every feature shares: one hash tag per gateway, so multi-key scripts work on Redis Cluster. */
package org.vlab.ipam.api.redis;

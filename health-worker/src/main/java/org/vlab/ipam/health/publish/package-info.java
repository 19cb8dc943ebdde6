/** Publishing reachability events: an outbox that holds them, in order and with their probe times, while the broker is unreachable. */
package org.vlab.ipam.health.publish;

/**
 * What the API consumes from the broker: gateways' events into Redis, once they proved to come from
 * a publisher allowed for the gateway they name, and snapshot requests; refusals are dead-lettered with their reason.
 */
package org.vlab.ipam.api.events;

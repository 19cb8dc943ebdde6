/** What the API consumes from the broker: agents' and workers' events into Redis, and agents' snapshot requests. */
package org.vlab.ipam.api.events;

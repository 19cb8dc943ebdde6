/** Connection usage per mapping: the forwarded connections of the gateways' log batches, counted in Redis. */
package org.vlab.ipam.api.usage;

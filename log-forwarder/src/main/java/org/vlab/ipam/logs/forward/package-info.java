/** Batches the parsed lines, publishes each batch with confirms, and only then checkpoints it: at least once, in order. */
package org.vlab.ipam.logs.forward;

package org.vlab.ipam.health.publish;

import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.messaging.MessageMetadata;

/** One event waiting in the outbox, with the message id every attempt reuses and what to do once confirmed. */
record OutboxEntry(ReachabilityObserved event, MessageMetadata metadata, Runnable onConfirmed) {
}

/** The REST API: records every intent in Redis, commands gateways through RabbitMQ and follows their events. */
package org.vlab.ipam.api;

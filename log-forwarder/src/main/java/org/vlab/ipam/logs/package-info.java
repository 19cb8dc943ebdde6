/** The log forwarder: tails its gateway's firewall log and streams parsed FORWARD records to RabbitMQ, at least once and in order. */
package org.vlab.ipam.logs;

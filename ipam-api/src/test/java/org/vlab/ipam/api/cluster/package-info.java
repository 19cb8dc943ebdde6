/** The API on a Redis Cluster and a RabbitMQ cluster, with nodes lost under load. */
package org.vlab.ipam.api.cluster;

/** The four services' real jars on a Redis Cluster and a RabbitMQ cluster, with nodes lost under load. */
package org.vlab.ipam.system.cluster;

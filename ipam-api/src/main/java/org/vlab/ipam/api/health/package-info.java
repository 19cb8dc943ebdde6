/** GET /api/1/ipam/healthcheck: the load balancers' view of the service and its Redis and RabbitMQ connections. */
package org.vlab.ipam.api.health;

/** Test infrastructure in one place: RabbitMQ and Redis for integration tests, services run from their jars, and the netns tag for root-only tests. */
package org.vlab.ipam.testsupport;

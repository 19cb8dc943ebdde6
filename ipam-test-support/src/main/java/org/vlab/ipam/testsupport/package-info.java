/** Test infrastructure in one place: RabbitMQ and Redis for integration tests, and the netns tag for root-only tests. */
package org.vlab.ipam.testsupport;

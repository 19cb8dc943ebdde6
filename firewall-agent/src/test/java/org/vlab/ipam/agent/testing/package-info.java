/** Test infrastructure of the agent: a gateway in network namespaces, a stand-in for the API, and the agent's RabbitMQ user. */
package org.vlab.ipam.agent.testing;

/** The agent's footprint on the broker: which exchanges and queues it declares, so it can run with least privilege. */
package org.vlab.ipam.agent.broker;

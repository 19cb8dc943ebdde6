/** The agent's health and metrics: DOWN while degraded or while changes wait too long for a successful sync. */
package org.vlab.ipam.agent.health;

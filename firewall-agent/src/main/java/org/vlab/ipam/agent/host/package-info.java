/** What the agent reads about its own host: the addresses of its network interfaces. */
package org.vlab.ipam.agent.host;

/** The firewall agent: applies its gateway's port mappings to the kernel firewall, confirms them and reconciles drift. */
package org.vlab.ipam.agent;

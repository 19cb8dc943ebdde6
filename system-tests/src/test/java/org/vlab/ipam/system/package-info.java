/** The whole system end to end: real jars, real packets, through the REST API only. */
package org.vlab.ipam.system;

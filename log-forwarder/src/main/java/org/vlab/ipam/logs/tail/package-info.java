/** Follows the firewall log file through appends, rename rotation, copy-truncate, gzip compression, clearing in place and absence, line by line with byte offsets. */
package org.vlab.ipam.logs.tail;

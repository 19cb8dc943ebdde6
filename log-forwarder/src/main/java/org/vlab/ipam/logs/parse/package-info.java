/** Turns firewall log lines (kernel LOG via syslog, ulogd2 LOGEMU) into FirewallLogRecords, or names why a line is skipped. */
package org.vlab.ipam.logs.parse;

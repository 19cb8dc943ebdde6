/** Who is calling: verifies the vLab JWT of each API request and decides which gateway the caller may act on. */
package org.vlab.ipam.api.auth;

/** The security suite: hostile REST requests, tokens and broker messages against the real API, counted and proven harmless. */
package org.vlab.ipam.api.security;

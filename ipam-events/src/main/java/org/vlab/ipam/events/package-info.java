/** The messages the services exchange: past-tense records under one sealed interface, each with its wire type and route. */
package org.vlab.ipam.events;

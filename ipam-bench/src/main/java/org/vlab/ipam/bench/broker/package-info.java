/** The broker's own ceiling for the API's message pattern, measured without the API. */
package org.vlab.ipam.bench.broker;

/** Test fixtures: the API's snapshot answers, a tap on reachability events, scripted probers and a running worker. */
package org.vlab.ipam.health.testing;

/** How the services talk to RabbitMQ: the message converter, the declared topology and the confirming publisher. */
package org.vlab.ipam.messaging;

/** The vLab envelope every response is wrapped in, its error handler, request ids and the access log. */
package org.vlab.ipam.api.web;

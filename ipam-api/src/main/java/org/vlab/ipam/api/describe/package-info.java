/** describe=true on every route: the JSON Schemas of its parameters and bodies, without authentication. */
package org.vlab.ipam.api.describe;

package org.vlab.ipam.api.portmap;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** The status, error and content a POST or DELETE answers with. */
record PortMapAnswer(HttpStatus status, String error, Map<String, Object> content) {

    static PortMapAnswer ok(Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.OK, null, content);
    }

    static PortMapAnswer accepted(Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.ACCEPTED, null, content);
    }

    static PortMapAnswer failed(String error, Map<String, Object> content) {
        return new PortMapAnswer(HttpStatus.INTERNAL_SERVER_ERROR, error, content);
    }
}

package org.vlab.ipam.api.security;

import static org.vlab.ipam.api.security.Bodies.string;
import static org.vlab.ipam.api.security.Bodies.with;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile POST and DELETE bodies a client sends with its own valid token: every one must be
 * refused with a 4xx before anything reaches Redis or the gateway.
 */
final class BodyCorpus {

    private static final String[] STRING_FIELDS = {"target_addr", "target_name", "target_component"};
    private static final String[] NOT_STRINGS = {"42", "-1", "3.5", "true", "false", "[]", "[\"win01\"]", "{}",
            "{\"value\":\"win01\"}", "null"};
    private static final String[] NOT_INTEGERS = {"\"3389\"", "\"\"", "true", "[]", "[3389]", "{}",
            "{\"port\":3389}", "null", "3389.5", "3389.0", "3.389e3", "1e3"};

    private final String token;
    private final List<HostileRequest> cases = new ArrayList<>();

    private BodyCorpus(String token) {
        this.token = token;
    }

    /** Every body case, sent with {@code token} (a valid token of the gateway they would change). */
    static List<HostileRequest> cases(String token) {
        BodyCorpus corpus = new BodyCorpus(token);
        corpus.wrongTypes();
        corpus.numbers();
        corpus.ipv6AndHostNames();
        corpus.outsideTheLab();
        corpus.controlCharacters();
        corpus.formatCharacters();
        corpus.duplicateKeys();
        corpus.protocolAndSources();
        corpus.malformedJson();
        corpus.oversizedBodies();
        return List.copyOf(corpus.cases);
    }

    private void post(Category category, String what, String body) {
        cases.add(HostileRequest.post(category, what, token, body));
    }

    private void delete(Category category, String what, String body) {
        cases.add(HostileRequest.delete(category, what, token, body));
    }

    private void wrongTypes() {
        for (String field : STRING_FIELDS) {
            for (String value : NOT_STRINGS) {
                post(Category.WRONG_TYPES, field + " = " + value, with(field, value));
            }
        }
        for (String value : NOT_INTEGERS) {
            post(Category.WRONG_TYPES, "target_port = " + value, with("target_port", value));
            delete(Category.WRONG_TYPES, "conn_port = " + value, "{\"conn_port\":" + value + "}");
        }
        for (String field : Bodies.FIELDS) {
            post(Category.WRONG_TYPES, "without " + field, Bodies.without(field));
        }
        for (String body : List.of("{}", "[]", "[" + Bodies.valid() + "]", "\"" + "win01" + "\"", "42", "true", "null",
                "{\"target\":" + Bodies.valid() + "}")) {
            post(Category.WRONG_TYPES, "body " + body, body);
            delete(Category.WRONG_TYPES, "body " + body, body);
        }
    }

    /** The optional protocol and allowed_sources (docs/api-extensions.md): anything but their documented values. */
    private void protocolAndSources() {
        for (String value : List.of("\"icmp\"", "\"UDP\"", "\"Tcp\"", "\"\"", "\"udp \"", "\"udp\\u0000\"", "17", "6",
                "true", "[\"udp\"]", "{}")) {
            post(Category.WRONG_TYPES, "protocol = " + value, with("protocol", value));
        }
        String seventeen = "[" + String.join(",", java.util.stream.IntStream.range(0, 17)
                .mapToObj(i -> "\"10." + i + ".0.0/16\"").toList()) + "]";
        for (String value : List.of("\"10.0.0.0/8\"", "{}", "[]", "[\"0.0.0.0/0\"]", "[\"10.1.2.3/24\"]", seventeen,
                "[null]", "[42]", "[\"10.0.0.0/8\",\"10.0.0.0/8\"]", "[\"::/0\"]", "[\"10.0.0.0/33\"]", "[\"10.0.0.0\"]",
                "[\"10.0.0.0/8 \"]", "[[\"10.0.0.0/8\"]]", "[\"host.example/32\"]")) {
            post(Category.WRONG_TYPES, "allowed_sources = " + abbreviate(value), with("allowed_sources", value));
        }
    }

    private void numbers() {
        List<String> huge = List.of("0", "-0", "-1", "-3389", "65536", "70000", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "4294967297", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "1e400", "-1e400", "1e-7", "65535.000001", "1" + "0".repeat(400),
                "9".repeat(2000), "-" + "9".repeat(999));
        for (String number : huge) {
            post(Category.NUMBERS, "target_port = " + abbreviate(number), with("target_port", number));
            delete(Category.NUMBERS, "conn_port = " + abbreviate(number), "{\"conn_port\":" + number + "}");
        }
        for (String notJson : List.of("0x0D3D", "03389", "+3389", "NaN", "Infinity", "-Infinity", "3389L", "3_389",
                ".5", "1.", "--1")) {
            post(Category.NUMBERS, "target_port = " + notJson + " (no JSON number)", with("target_port", notJson));
        }
    }

    private void ipv6AndHostNames() {
        List<String> addresses = List.of("::1", "::", "fe80::1", "fe80::1%eth0", "2001:db8::1", "[2001:db8::1]",
                "::ffff:192.168.1.20", "::ffff:c0a8:114", "64:ff9b::192.168.1.20", "localhost", "lab-host",
                "win01.lab.example", "192.168.1.20.nip.io", "192-168-1-20.example", "0xc0a80114", "0xc0.0xa8.1.20",
                "3232235796", "0300.0250.1.20", "192.168.01.20", "192.168.1.020", "192.168.1", "192.168",
                "192.168.1.20.", ".192.168.1.20", "192.168.1.20/32", "192.168.1.0/24", "192.168.1.20:22",
                "192.168.1.20 ", "\t192.168.1.20", "192.168.1.2 0", "\uff11\uff19\uff12.168.1.20",
                "\u0661\u0669\u0662.168.1.20", "192.168.1.20\u0000", "192.168.1.-1", "192.168.1.256", "192.168.1.1e1",
                "", "http://192.168.1.20/", "user@192.168.1.20", "*", "192.168.1.*", "192.168.1.20,10.0.0.1");
        for (String addr : addresses) {
            post(Category.IPV6_AND_HOSTNAMES, "target_addr " + string(addr), with("target_addr", string(addr)));
        }
    }

    private void outsideTheLab() {
        List<String> addresses = List.of("10.0.0.1", "10.255.255.254", "172.16.0.1", "192.168.0.1", "192.168.2.20",
                "192.168.11.20", "8.8.8.8", "1.1.1.1", HostileApiTestBase.VICTIM_WAN, "127.0.0.1", "127.255.255.254",
                "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1", "239.255.255.250", "169.254.169.254",
                "169.254.0.1", "240.0.0.1", "192.168.1.0", "192.168.1.255", "100.64.0.1", "198.18.0.1", "192.0.2.1");
        for (String addr : addresses) {
            post(Category.OUTSIDE_THE_LAB, "target_addr " + addr, with("target_addr", string(addr)));
        }
    }

    private void controlCharacters() {
        List<String> names = List.of("win\u000001", "win\u000101", "win\t01", "win\n01", "win\r01",
                "\u001b[31mwin01\u001b[0m", "win01\u007f", "win\u008501", "win\u009b01", "win\u202801", "win\u202901",
                "win01\r\nX-Injected: 1", "\u001b]0;owned\u0007", "", "n".repeat(129), "n".repeat(1000),
                "\ud83d\ude00".repeat(129));
        for (String field : List.of("target_name", "target_component")) {
            for (String name : names) {
                post(Category.CONTROL_CHARACTERS, field + " " + abbreviate(string(name)), with(field, string(name)));
            }
        }
    }

    private void formatCharacters() {
        List<String> names = List.of("win\u200b01", "win\u200e01", "win\u200f01", "win\u202e10niw", "win\u202a01",
                "win\u206601", "\ufeffwin01", "win\u00ad01", "win\u061c01", "win\u180e01", "win\ufff901",
                "win\ud80001", "win\udfff01", "win\udc00\ud80001", "win\udb40\udc0101");
        for (String field : List.of("target_name", "target_component")) {
            for (String name : names) {
                post(Category.FORMAT_CHARACTERS, field + " " + string(name), with(field, string(name)));
            }
        }
    }

    private void duplicateKeys() {
        Map<String, String> hostile = Map.of("target_addr", string("10.0.0.1"), "target_port", "0",
                "target_name", string("win\u000101"), "target_component", "42");
        for (String field : Bodies.FIELDS) {
            String valid = Bodies.VALID.get(field);
            String rest = Bodies.valid().substring(1);
            post(Category.DUPLICATE_KEYS, field + " twice, hostile last",
                    "{" + string(field) + ":" + valid + "," + rest.replace(string(field) + ":" + valid,
                            string(field) + ":" + hostile.get(field)));
            post(Category.DUPLICATE_KEYS, field + " twice, hostile first",
                    "{" + string(field) + ":" + hostile.get(field) + "," + rest);
        }
        delete(Category.DUPLICATE_KEYS, "conn_port twice", "{\"conn_port\":0,\"conn_port\":65535}");
    }

    private void malformedJson() {
        String valid = Bodies.valid();
        List<String> bodies = List.of("", "   ", "{", "}", "{\"target_addr\":}", valid.replace('"', '\''),
                valid.replace("}", ",}"), "/* c */" + valid, "// c\n" + valid, valid.replace(":", "="),
                valid.replace("\"target_port\"", "target_port"), valid.replace("\"win02\"", "\"win\n02\""),
                valid.replace("\"win02\"", "\"win\\x4102\""), valid.replace("\"win02\"", "\"win\\u12\""),
                valid.replace("3389", "3389 3390"), "[".repeat(5000), "{\"a\":".repeat(3000),
                "{\"target_addr\":\"192.168.1.20\"", valid.substring(0, valid.length() - 1), "\u0000" + valid,
                "{\"target_addr\" \"192.168.1.20\"}");
        for (String body : bodies) {
            post(Category.MALFORMED_JSON, abbreviate(body), body);
            delete(Category.MALFORMED_JSON, abbreviate(body), body.replace("target_port", "conn_port"));
        }
        byte[] badUtf8 = valid.replace("win02", "win\u00ff02").getBytes(StandardCharsets.ISO_8859_1);
        cases.add(new HostileRequest(Category.MALFORMED_JSON, "invalid UTF-8 byte 0xff", "POST", HostileRequest.PORTMAP,
                HostileRequest.auth(token, Map.entry("Content-Type", HostileRequest.JSON)), badUtf8, 0, false, false));
        byte[] overlong = valid.replace("win02", "win\u0001\u000102").getBytes(StandardCharsets.ISO_8859_1);
        overlong[valid.indexOf("win02") + 3] = (byte) 0xc0;
        overlong[valid.indexOf("win02") + 4] = (byte) 0x80;
        cases.add(new HostileRequest(Category.MALFORMED_JSON, "overlong UTF-8 NUL", "POST", HostileRequest.PORTMAP,
                HostileRequest.auth(token, Map.entry("Content-Type", HostileRequest.JSON)), overlong, 0, false, false));
    }

    private void oversizedBodies() {
        String valid = Bodies.valid();
        post(Category.OVERSIZED_BODIES, "valid body padded to 16 KiB + 1", valid + " ".repeat(16 * 1024 + 1 - valid.length()));
        post(Category.OVERSIZED_BODIES, "64 KiB name", with("target_name", string("n".repeat(64 * 1024))));
        post(Category.OVERSIZED_BODIES, "1 MiB of whitespace", " ".repeat(1024 * 1024) + valid);
        post(Category.OVERSIZED_BODIES, "4 MiB array", "[" + "1,".repeat(2 * 1024 * 1024) + "1]");
        post(Category.OVERSIZED_BODIES, "17 KiB of unknown fields",
                valid.replace("{", "{\"x\":" + string("x".repeat(17 * 1024)) + ","));
        delete(Category.OVERSIZED_BODIES, "DELETE padded to 16 KiB + 1", "{\"conn_port\":50000}" + " ".repeat(16 * 1024));
        delete(Category.OVERSIZED_BODIES, "DELETE 1 MiB", "{\"conn_port\":" + "1".repeat(1024 * 1024) + "}");
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}

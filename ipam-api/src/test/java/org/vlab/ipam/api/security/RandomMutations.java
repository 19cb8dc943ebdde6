package org.vlab.ipam.api.security;

import static org.vlab.ipam.api.security.Bodies.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.vlab.ipam.domain.Ipv4Address;

/**
 * Property-based cases from a seeded generator: a valid create body with one to three fields
 * replaced by values drawn at random from sets that are invalid by construction (addresses
 * outside the lab's usable hosts, ports outside 1-65535, names with a control character or
 * too long, values of the wrong JSON type), and DELETE bodies with invalid connection ports.
 * The seed is printed; {@code -Dsecurity.seed=<n>} replays a run.
 */
final class RandomMutations {

    static final long DEFAULT_SEED = 20261204L;

    private final Random random;
    private final String token;

    private RandomMutations(long seed, String token) {
        this.random = new Random(seed);
        this.token = token;
    }

    static long seed() {
        return Long.getLong("security.seed", DEFAULT_SEED);
    }

    static List<HostileRequest> cases(long seed, String token, int count) {
        RandomMutations generator = new RandomMutations(seed, token);
        List<HostileRequest> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(generator.random.nextInt(5) == 0 ? generator.delete(i) : generator.create(i));
        }
        return cases;
    }

    private HostileRequest create(int index) {
        Map<String, String> fields = new LinkedHashMap<>(Bodies.VALID);
        int mutations = 1 + random.nextInt(3);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < mutations; i++) {
            String field = Bodies.FIELDS[random.nextInt(Bodies.FIELDS.length)];
            if (random.nextInt(8) == 0) {
                fields.remove(field);
                changed.add("-" + field);
                continue;
            }
            fields.put(field, switch (field) {
                case "target_addr" -> pick(this::addressOutsideTheLab, this::notAString);
                case "target_port" -> pick(this::portOutOfRange, this::notAnInteger);
                default -> pick(this::nameWithControlCharacter, this::nameTooLong, this::notAString);
            });
            changed.add(field);
        }
        return HostileRequest.post(Category.RANDOM_MUTATIONS, "#" + index + " " + changed, token, Bodies.object(fields));
    }

    private HostileRequest delete(int index) {
        String port = pick(this::portOutOfRange, this::notAnInteger);
        return HostileRequest.delete(Category.RANDOM_MUTATIONS, "#" + index + " conn_port " + BodyCorpus.abbreviate(port),
                token, "{\"conn_port\":" + port + "}");
    }

    @SafeVarargs
    private String pick(Supplier<String>... generators) {
        return generators[random.nextInt(generators.length)].get();
    }

    /** Any IPv4 address except the usable hosts 192.168.1.1-254 of the victim's lab, or junk that is no address. */
    private String addressOutsideTheLab() {
        if (random.nextInt(4) == 0) {
            StringBuilder junk = new StringBuilder();
            String alphabet = "0123456789.:abcdefx/%[] -";
            for (int i = random.nextInt(20); i >= 0; i--) {
                junk.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = junk.toString();
            return usableLabHost(text) ? string("10.0.0.1") : string(text);
        }
        int bits = random.nextInt();
        Ipv4Address address = new Ipv4Address(bits);
        return usableLabHost(address.toString()) ? string("192.168.1.255") : string(address.toString());
    }

    private static boolean usableLabHost(String text) {
        try {
            Ipv4Address address = Ipv4Address.parse(text);
            return address.octet(0) == 192 && address.octet(1) == 168 && address.octet(2) == 1 && address.octet(3) != 0
                    && address.octet(3) != 255;
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    private String portOutOfRange() {
        return switch (random.nextInt(4)) {
            case 0 -> Long.toString(-1L - (random.nextLong() >>> 1));
            case 1 -> Long.toString(65536L + random.nextInt(Integer.MAX_VALUE));
            case 2 -> Integer.toString(-random.nextInt(65536));
            default -> (1 + random.nextInt(65535)) + "." + (1 + random.nextInt(9999));
        };
    }

    private String nameWithControlCharacter() {
        String name = printable(1 + random.nextInt(40));
        int[] controls = {0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
                0x2028, 0x2029};
        int at = random.nextInt(name.length() + 1);
        return string(name.substring(0, at) + (char) controls[random.nextInt(controls.length)] + name.substring(at));
    }

    private String nameTooLong() {
        return string(printable(129 + random.nextInt(2000)));
    }

    private String printable(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int c = random.nextInt(4) == 0 ? 0xa0 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5f);
            int type = Character.getType(c);
            if (type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                    && type != Character.UNASSIGNED && type != Character.LINE_SEPARATOR
                    && type != Character.PARAGRAPH_SEPARATOR && type != Character.PRIVATE_USE) {
                text.append((char) c);
            }
        }
        return text.toString();
    }

    private String notAString() {
        return switch (random.nextInt(6)) {
            case 0 -> "true";
            case 1 -> "null";
            case 2 -> "[" + string(printable(1 + random.nextInt(10))) + "]";
            case 3 -> "{\"v\":" + random.nextInt(100) + "}";
            case 4 -> "false";
            default -> Integer.toString(random.nextInt());
        };
    }

    private String notAnInteger() {
        return random.nextBoolean() ? notAString().replace("null", "[]").replaceAll("^-?[0-9]+$", "{}")
                : string(Integer.toString(1 + random.nextInt(65535)));
    }
}

package org.vlab.ipam.api.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a Lua script's text and lists every {@code redis.call}/{@code redis.pcall} whose key
 * arguments are not {@code KEYS[...]}: Redis Cluster (and any proxy routing by declared keys)
 * must see every key a script touches. The command must be a string literal of a known command
 * whose key positions are listed here; a command without keys (PUBLISH's channel is ARGV) is
 * listed with none. {@code redis.call} used as a value (an alias) is refused too.
 */
final class DeclaredKeysCheck {

    /** Commands whose first argument is their only key. */
    private static final Set<String> FIRST_ARGUMENT_KEY = Set.of("GET", "SET", "INCR", "INCRBY", "DECR", "PEXPIRE",
            "EXPIRE", "PTTL", "TTL", "TYPE", "HGET", "HSET", "HMGET", "HGETALL", "HVALS", "HKEYS", "HDEL", "HEXISTS",
            "HLEN", "HINCRBY", "SADD", "SREM", "SPOP", "ZPOPMIN", "SRANDMEMBER", "SCARD", "SMEMBERS", "SISMEMBER",
            "ZADD", "ZREM", "ZRANGE", "ZRANGEBYSCORE", "ZRANGEBYLEX", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZSCORE",
            "ZCARD", "ZCOUNT", "LPUSH", "RPUSH",
            "LRANGE", "LLEN");
    /** Commands whose every argument is a key. */
    private static final Set<String> ALL_ARGUMENTS_KEYS = Set.of("DEL", "UNLINK", "EXISTS");
    /** Commands that touch no key; the reason is documentation. */
    static final Map<String, String> WITHOUT_KEYS = Map.of(
            "PUBLISH", "a channel is not a key (ARGV), as Redis Cluster's one-slot rule requires",
            "TIME", "reads the server's clock");

    private static final Pattern DECLARED = Pattern.compile("KEYS\\[[^\\]]+\\]|unpack\\(KEYS\\b.*\\)");
    private static final Pattern CALL = Pattern.compile("redis\\s*\\.\\s*p?call");
    private static final Pattern COMMAND = Pattern.compile("'([A-Za-z]+)'|\"([A-Za-z]+)\"");

    private DeclaredKeysCheck() {
    }

    /** One way a script reaches past its declared keys. */
    record Violation(String script, int line, String reason) {
        @Override
        public String toString() {
            return script + ":" + line + ": " + reason;
        }
    }

    static List<Violation> check(String script, String text) {
        String code = withoutComments(text);
        List<Violation> violations = new ArrayList<>();
        var calls = CALL.matcher(withoutStringContents(code));
        while (calls.find()) {
            int line = lineOf(code, calls.start());
            int open = skipSpaces(code, calls.end());
            if (open >= code.length() || code.charAt(open) != '(') {
                violations.add(new Violation(script, line, "redis.call used as a value; call it directly"));
                continue;
            }
            List<String> arguments = arguments(code, open);
            violations.addAll(checkCall(script, line, arguments));
        }
        return violations;
    }

    private static List<Violation> checkCall(String script, int line, List<String> arguments) {
        var literal = arguments.isEmpty() ? null : COMMAND.matcher(arguments.get(0));
        if (literal == null || !literal.matches()) {
            return List.of(new Violation(script, line, "the command must be a string literal"));
        }
        String command = (literal.group(1) != null ? literal.group(1) : literal.group(2)).toUpperCase(java.util.Locale.ROOT);
        if (!knows(command)) {
            return List.of(new Violation(script, line, command + " is not a command whose key positions are known"));
        }
        List<String> keys = arguments.size() > 1 || WITHOUT_KEYS.containsKey(command)
                ? keyArguments(command, arguments.subList(1, arguments.size())) : List.of("(none)");
        return keys.stream().filter(key -> !DECLARED.matcher(key.strip()).matches())
                .map(key -> new Violation(script, line, command + " touches " + key.strip() + ", not a KEYS[...] entry"))
                .toList();
    }

    static boolean knows(String command) {
        return WITHOUT_KEYS.containsKey(command) || FIRST_ARGUMENT_KEY.contains(command)
                || ALL_ARGUMENTS_KEYS.contains(command);
    }

    /** Which of a command's arguments (after its name) are keys; every argument of an unknown command. */
    static List<String> keyArguments(String command, List<String> arguments) {
        if (WITHOUT_KEYS.containsKey(command)) {
            return List.of();
        }
        if (FIRST_ARGUMENT_KEY.contains(command)) {
            return arguments.isEmpty() ? List.of() : arguments.subList(0, 1);
        }
        return arguments;
    }

    /** The top-level arguments of the call whose '(' is at {@code open}. */
    private static List<String> arguments(String code, int open) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        for (int i = open + 1; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(code, i);
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if ((c == ')' || c == '}' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                arguments.add(code.substring(start, i));
                start = i + 1;
            } else if (c == ')') {
                arguments.add(code.substring(start, i));
                break;
            }
        }
        return arguments;
    }

    private static int endOfString(String code, int quote) {
        char delimiter = code.charAt(quote);
        for (int i = quote + 1; i < code.length(); i++) {
            if (code.charAt(i) == '\\') {
                i++;
            } else if (code.charAt(i) == delimiter) {
                return i;
            }
        }
        return code.length();
    }

    /** Blanks {@code --} comments (outside strings), keeping line breaks so line numbers stay true. */
    private static String withoutComments(String text) {
        StringBuilder code = new StringBuilder(text);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(text, i);
            } else if (c == '-' && i + 1 < code.length() && code.charAt(i + 1) == '-') {
                while (i < code.length() && code.charAt(i) != '\n') {
                    code.setCharAt(i++, ' ');
                }
            }
        }
        return code.toString();
    }

    /** Blanks what string literals hold, so text that looks like a call inside one is not taken for a call. */
    private static String withoutStringContents(String code) {
        StringBuilder masked = new StringBuilder(code);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(code, i);
                for (int j = i + 1; j < end; j++) {
                    masked.setCharAt(j, code.charAt(j) == '\n' ? '\n' : ' ');
                }
                i = end;
            }
        }
        return masked.toString();
    }

    private static int skipSpaces(String code, int from) {
        int i = from;
        while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String code, int offset) {
        return (int) code.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}

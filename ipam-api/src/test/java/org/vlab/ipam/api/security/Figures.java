package org.vlab.ipam.api.security;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts what the suite sent and how the API answered, per category, and prints the table
 * that docs/security.md quotes: sent, accepted (2xx), 5xx, refused by the HTTP layer without
 * an envelope (expected for a URI that is no URI or headers over 8 KiB), and wrong answers
 * (another status than the expected one, or no vLab envelope with an error).
 */
final class Figures {

    private record Row(int sent, int accepted, int serverErrors, int bare, int wrong) {

        static final Row NONE = new Row(0, 0, 0, 0, 0);

        Row plus(Row other) {
            return new Row(sent + other.sent, accepted + other.accepted, serverErrors + other.serverErrors,
                    bare + other.bare, wrong + other.wrong);
        }
    }

    private final String title;
    private final Map<Category, Row> rows = new EnumMap<>(Category.class);
    private final List<String> failures = new ArrayList<>();

    Figures(String title) {
        this.title = title;
    }

    /** Records one answer; {@code problem} is null when it was the right refusal. */
    void record(HostileRequest request, int status, String problem) {
        Row row = new Row(1, status >= 200 && status < 300 ? 1 : 0, status >= 500 ? 1 : 0, request.httpLayer() ? 1 : 0,
                problem == null ? 0 : 1);
        rows.merge(request.category(), row, Row::plus);
        if (problem != null) {
            failures.add(request + " -> " + status + ": " + problem);
        }
    }

    int sent(Category category) {
        return rows.getOrDefault(category, Row.NONE).sent();
    }

    int sent() {
        return total().sent();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    private Row total() {
        return rows.values().stream().reduce(Row.NONE, Row::plus);
    }

    /** The table, plus the Redis and command figures measured around the run. */
    String table(int redisChanges, long commands) {
        StringBuilder text = new StringBuilder("\n[security] ").append(title).append('\n');
        text.append(String.format("[security] %-22s %6s %9s %5s %5s %6s%n", "category", "sent", "accepted", "5xx", "bare",
                "wrong"));
        rows.forEach((category, row) -> text.append(line(category.name().toLowerCase(), row)));
        text.append(line("TOTAL", total()));
        text.append(String.format("[security] Redis keys changed: %d; commands sent to gateways: %d%n", redisChanges,
                commands));
        return text.toString();
    }

    private static String line(String name, Row row) {
        return String.format("[security] %-22s %6d %9d %5d %5d %6d%n", name, row.sent(), row.accepted(),
                row.serverErrors(), row.bare(), row.wrong());
    }
}

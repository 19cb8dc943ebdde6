package org.vlab.ipam.api.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads Redis's MONITOR output: an EVAL/EVALSHA line names the keys a script declared, and the
 * {@code [n lua]} lines right after it are what the script ran (a script is atomic, so no other
 * client's command comes between). Lists every command whose key was not declared, with the
 * same key positions as {@link DeclaredKeysCheck}.
 */
final class MonitoredScripts {

    private int scripts;
    private int scriptCommands;
    private final List<String> undeclared = new ArrayList<>();

    static MonitoredScripts read(List<String> lines) {
        MonitoredScripts monitored = new MonitoredScripts();
        Set<String> declared = null;
        for (String line : lines) {
            List<String> words = words(line);
            if (words.isEmpty()) {
                continue;
            }
            String command = words.get(0).toUpperCase(Locale.ROOT);
            if (!line.contains(" lua] ")) {
                declared = null;
                if (command.equals("EVAL") || command.equals("EVALSHA")) {
                    int count = Integer.parseInt(words.get(2));
                    declared = new HashSet<>(words.subList(3, 3 + count));
                    monitored.scripts++;
                }
            } else if (declared != null) {
                monitored.scriptCommands++;
                for (String key : DeclaredKeysCheck.keyArguments(command, words.subList(1, words.size()))) {
                    if (!declared.contains(key)) {
                        monitored.undeclared.add(command + " " + key + " (declared: " + declared + ")");
                    }
                }
            }
        }
        return monitored;
    }

    int scripts() {
        return scripts;
    }

    int scriptCommands() {
        return scriptCommands;
    }

    List<String> undeclared() {
        return undeclared;
    }

    /** The quoted words after the {@code <time> [<db> <client>]} header, escapes kept as MONITOR wrote them. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int start = line.indexOf("] ");
        if (start < 0) {
            return words;
        }
        StringBuilder word = null;
        for (int i = start + 2; i < line.length(); i++) {
            char c = line.charAt(i);
            if (word == null) {
                if (c == '"') {
                    word = new StringBuilder();
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(c).append(line.charAt(++i));
            } else if (c == '"') {
                words.add(word.toString());
                word = null;
            } else {
                word.append(c);
            }
        }
        return words;
    }
}

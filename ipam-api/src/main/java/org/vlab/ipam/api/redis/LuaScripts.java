package org.vlab.ipam.api.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a script of {@code resources/redis/}. Lua scripts cannot import one another, so a
 * script that needs shared functions names their files from {@code redis/lib/}; they are
 * prepended to it, in order, and the whole text is what Redis runs (and what its SHA names).
 * A script's shebang line ({@code #!lua flags=no-writes}) stays the first line, where Redis
 * reads it.
 */
public final class LuaScripts {

    private LuaScripts() {
    }

    public static <T> RedisScript<T> of(Class<T> type, String script, String... libraries) {
        List<String> parts = new ArrayList<>();
        String main = read("redis/" + script + ".lua");
        if (main.startsWith("#!") && libraries.length > 0) {
            int end = main.indexOf('\n');
            parts.add(main.substring(0, end));
            main = main.substring(end + 1);
        }
        for (String library : libraries) {
            parts.add(read("redis/lib/" + library + ".lua"));
        }
        parts.add(main);
        return RedisScript.of(String.join("\n", parts), type);
    }

    private static String read(String path) {
        try {
            return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Lua script " + path, e);
        }
    }
}

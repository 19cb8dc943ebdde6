package org.vlab.ipam.api.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Lua script of the API declares in KEYS each key it touches (issue 13), and the check itself can fail. */
class DeclaredKeysCheckTests {

    static final Path SCRIPTS = Path.of("src/main/resources/redis");
    static final Path UNDECLARED = Path.of("src/test/resources/undeclared-keys");

    @Test
    void everyScriptTouchesOnlyDeclaredKeys() throws IOException {
        List<Path> scripts = luaFiles(SCRIPTS);

        assertThat(scripts).as("scripts found, lib/ included").hasSizeGreaterThanOrEqualTo(10);
        assertThat(scripts).allSatisfy(script -> assertThat(DeclaredKeysCheck.check(script.toString(),
                Files.readString(script))).as("undeclared keys in %s", script).isEmpty());
    }

    @Test
    void refusesEveryDeliberatelyBadScript() throws IOException {
        List<Path> bad = luaFiles(UNDECLARED);

        assertThat(bad).hasSizeGreaterThanOrEqualTo(5);
        assertThat(bad).allSatisfy(script -> assertThat(DeclaredKeysCheck.check(script.toString(),
                Files.readString(script))).as("violations found in %s", script).isNotEmpty());
    }

    @Test
    void namesTheLineAndTheUndeclaredKey() {
        String script = """
                -- KEYS: 1 the mappings hash
                redis.call('HGET', KEYS[1], ARGV[1])
                redis.call('HGETALL', ARGV[2] .. ':map:' .. ARGV[1])
                """;

        assertThat(DeclaredKeysCheck.check("inline.lua", script)).singleElement().hasToString(
                "inline.lua:3: HGETALL touches ARGV[2] .. ':map:' .. ARGV[1], not a KEYS[...] entry");
    }

    @Test
    void acceptsCommandsWithoutKeysAndIgnoresCommentsAndStrings() {
        String script = """
                -- redis.call('GET', 'a commented-out call')
                local t = redis.call('TIME')
                redis.call('PUBLISH', ARGV[1], 'redis.call(\\'GET\\', \\'x\\') is only text')
                for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
                """;

        assertThat(DeclaredKeysCheck.check("inline.lua", script)).isEmpty();
    }

    private static List<Path> luaFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".lua")).sorted().toList();
        }
    }
}

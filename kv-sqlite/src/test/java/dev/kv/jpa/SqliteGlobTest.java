package dev.kv.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.internal.GlobSyntax;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kv glob as SQLite's GLOB matches exactly the keys the glob's Java regular expression matches. */
class SqliteGlobTest {

    private static final List<String> PATTERNS = List.of(
            "user:*", "a?c", "\\*", "a\\?b", "[[]x", "[\\]]", "[\\]a]*", "[!\\]]", "[-a]", "[a-]", "[!-]", "[^a]",
            "[\\^]", "[\\^a]", "[\\^-b]", "[!-^]", "[+--]", "[*?]", "[a-c]x", "[!a-c]x", "x]y", "\\[*", "é[à-ü]?",
            "*😀*", "[😀-😂]");

    private static final List<String> KEYS = List.of(
            "user:1", "user:", "abc", "a?b", "axb", "*", "[x", "x", "]", "]abc", "a", "-", "^", "b", "_", ",", "+", "?",
            "ax", "dx", "x]y", "[", "[abc", "éèz", "éaz", "a😀b", "😁", "😃", "");

    @Test
    void everyPatternMatchesTheKeysTheJavaMatcherMatches() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                PreparedStatement glob = connection.prepareStatement("SELECT ?1 GLOB ?2")) {
            for (String pattern : PATTERNS) {
                GlobSyntax syntax = GlobSyntax.parse(pattern);
                for (String key : KEYS) {
                    glob.setString(1, key);
                    glob.setString(2, syntax.sqliteGlob());
                    try (ResultSet row = glob.executeQuery()) {
                        row.next();
                        assertThat(row.getBoolean(1))
                                .as("%s GLOB %s (from %s)", key, syntax.sqliteGlob(), pattern)
                                .isEqualTo(syntax.matches(key));
                    }
                }
            }
        }
    }
}

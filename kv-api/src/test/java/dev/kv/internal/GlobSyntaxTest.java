package dev.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidPatternException;
import org.junit.jupiter.api.Test;

class GlobSyntaxTest {

    @Test
    void likeEscapesItsOwnWildcardsAndTheEscapeCharacter() {
        assertThat(GlobSyntax.parse("100%_done\\\\*?").postgresLike()).isEqualTo("100\\%\\_done\\\\%_");
        assertThat(GlobSyntax.parse("a\\*b").postgresLike()).isEqualTo("a*b");
    }

    @Test
    void aClassIsOneCharacterInLikeAndDecidedByTheRegex() {
        GlobSyntax syntax = GlobSyntax.parse("user:[0-9]*");
        assertThat(syntax.hasClasses()).isTrue();
        assertThat(syntax.postgresLike()).isEqualTo("user:_%");
        assertThat(syntax.postgresRegex()).isEqualTo("^user\\u003a[0-9].*$");
        assertThat(GlobSyntax.parse("user:*").hasClasses()).isFalse();
    }

    @Test
    void runsOfStarsAreOneToken() {
        assertThat(GlobSyntax.parse("a***b**").postgresLike()).isEqualTo("a%b%");
        assertThat(GlobSyntax.parse("*".repeat(4096)).postgresRegex()).isEqualTo("^.*$");
    }

    @Test
    void theMatcherNeedsNoStackForManyStarsNorTimeForAdversarialKeys() {
        GlobSyntax stars = GlobSyntax.parse("*a".repeat(31) + "*b");
        assertThat(stars.matches("a".repeat(100_000))).isFalse();
        assertThat(stars.matches("a".repeat(100_000) + "b")).isTrue();
        assertThat(GlobSyntax.parse("a" + "*".repeat(100_000) + "b").matches("a" + "x".repeat(100_000) + "b"))
                .isTrue();
    }

    @Test
    void wildcardsBeyondTheLimitAreRefused() {
        assertThat(GlobSyntax.parse("?".repeat(32)).matches("x".repeat(32))).isTrue();
        assertThatThrownBy(() -> GlobSyntax.parse("[a]".repeat(33)))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessage("pattern has 33 wildcards (?, [...] and runs of *), more than the maximum of 32");
    }
}

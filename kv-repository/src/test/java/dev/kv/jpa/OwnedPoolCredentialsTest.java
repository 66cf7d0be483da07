package dev.kv.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.jpa.OwnedPool.Credentials;
import org.junit.jupiter.api.Test;

class OwnedPoolCredentialsTest {

    @Test
    void aUrlWithoutParametersKeepsTheGivenPassword() {
        assertThat(Credentials.of("jdbc:postgresql://db/kv", "pw"))
                .isEqualTo(new Credentials("jdbc:postgresql://db/kv", "pw"));
    }

    @Test
    void thePasswordParameterLeavesTheUrlAndWinsAsTheDriverWouldHaveIt() {
        assertThat(Credentials.of("jdbc:postgresql://db/kv?user=app&password=s%26cret&ssl=true", "other"))
                .isEqualTo(new Credentials("jdbc:postgresql://db/kv?user=app&ssl=true", "s&cret"));
        assertThat(Credentials.of("jdbc:postgresql://db/kv?password=secret", null))
                .isEqualTo(new Credentials("jdbc:postgresql://db/kv", "secret"));
    }

    @Test
    void otherParametersAreKeptAsWritten() {
        assertThat(Credentials.of("jdbc:postgresql://db/kv?passwordless=1&user=app", null))
                .isEqualTo(new Credentials("jdbc:postgresql://db/kv?passwordless=1&user=app", null));
    }

    @Test
    void theTextFormHidesThePassword() {
        assertThat(Credentials.of("jdbc:postgresql://db/kv?password=secret", null)
                        .toString())
                .doesNotContain("secret")
                .contains("<hidden>");
    }
}

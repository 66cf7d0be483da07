package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

    @Test
    void sha256HashIsTheFirstEightBytesOfTheDigestBigEndian() {
        // SHA-256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        assertThat(KeyHasher.sha256().hash("hello".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0x2cf24dba5fb0a30eL);
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: a negative long
        assertThat(KeyHasher.sha256().hash(new byte[0])).isEqualTo(0xe3b0c44298fc1c14L);
    }
}

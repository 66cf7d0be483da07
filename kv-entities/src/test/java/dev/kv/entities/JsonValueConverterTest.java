package dev.kv.entities;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonValueConverterTest {

    @Test
    void converterRoundTripsBytesThroughText() {
        JsonValueConverter converter = new JsonValueConverter();
        byte[] value = "{\"name\": \"Zoë\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(converter.convertToEntityAttribute(converter.convertToDatabaseColumn(value)))
                .isEqualTo(value);
        assertThat(converter.convertToDatabaseColumn(null)).isNull();
    }
}

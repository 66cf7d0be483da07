package dev.kv.entities;

import dev.kv.internal.JsonCheck;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.nio.charset.StandardCharsets;

/**
 * Converts a JSON value held as UTF-8 bytes to the text of a {@code jsonb} column and back,
 * refusing bytes that {@code jsonb} would not accept with an {@link dev.kv.InvalidValueException}.
 */
@Converter
public class JsonValueConverter implements AttributeConverter<byte[], String> {

    @Override
    public String convertToDatabaseColumn(byte[] value) {
        return value == null ? null : new String(JsonCheck.check(value), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] convertToEntityAttribute(String column) {
        return column == null ? null : column.getBytes(StandardCharsets.UTF_8);
    }
}

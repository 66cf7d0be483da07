package dev.kv.rest;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Reads a TTL given as whole seconds ({@code 30}) or an ISO-8601 duration ({@code PT30S}). */
final class Ttls {

    private Ttls() {}

    /** The TTL of the query parameter, else of the header, else null (no expiry). */
    static Duration parse(String parameter, String header) {
        String text = parameter != null && !parameter.isBlank() ? parameter : header;
        if (text == null || text.isBlank()) {
            return null;
        }
        Duration ttl;
        try {
            ttl = text.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(text))
                    : Duration.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw Problem.badRequest("ttl must be whole seconds or an ISO-8601 duration, but was \"" + text + "\"");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw Problem.badRequest("ttl must be positive, but was \"" + text + "\"");
        }
        return ttl;
    }
}

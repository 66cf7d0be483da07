package dev.kv.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** A duration as {@code 10m}, {@code 30s}, {@code 1h30m}, {@code 2d}, {@code 500ms}, or ISO-8601 ({@code PT10M}). */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("p")) {
            return Duration.parse(text.trim());
        }
        Matcher part = PART.matcher(lower);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            end = part.end();
        }
        if (end == 0 || end != lower.length()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is no duration: write e.g. 10m, 30s, 1h30m, 2d, 500ms or PT10M");
        }
        return total;
    }
}

package dev.kv.cdi.config;

import dev.kv.CleanupStrategy;
import dev.kv.Encryptor;
import dev.kv.Expiry;
import dev.kv.KvConfig;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import dev.kv.cdi.KvSettings;
import dev.kv.crypto.AesGcmEncryptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The default {@link KvSettings}: MicroProfile Config properties, each optional.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>property</th><th>default</th></tr>
 * <tr><td>{@code kv.stores.<name>.schema}</td><td>{@code public}</td></tr>
 * <tr><td>{@code kv.stores.<name>.table}</td><td>{@code kv_entry} for the default store, {@code kv_<name>} otherwise</td></tr>
 * <tr><td>{@code kv.stores.<name>.format}</td><td>{@code jsonb} (or {@code bytea})</td></tr>
 * <tr><td>{@code kv.stores.<name>.unlogged}</td><td>{@code false}</td></tr>
 * <tr><td>{@code kv.stores.<name>.change-stream}</td><td>{@code false}</td></tr>
 * <tr><td>{@code kv.stores.<name>.max-key-bytes}</td><td>1024</td></tr>
 * <tr><td>{@code kv.stores.<name>.max-value-bytes}</td><td>1048576</td></tr>
 * <tr><td>{@code kv.stores.<name>.cleanup-batch-size}</td><td>1000</td></tr>
 * <tr><td>{@code kv.stores.<name>.cleanup-pause}</td><td>{@code PT0.02S} (ISO-8601; between two batches)</td></tr>
 * <tr><td>{@code kv.stores.<name>.cleanup-strategy}</td><td>{@code manual} (or {@code on-read}, {@code disabled})</td></tr>
 * <tr><td>{@code kv.stores.<name>.default-ttl}</td><td>none (ISO-8601, e.g. {@code PT30M}): the expiry of writes given none</td></tr>
 * <tr><td>{@code kv.stores.<name>.default-max-idle}</td><td>none (ISO-8601): instead, writes given no expiry expire once unread that long</td></tr>
 * <tr><td>{@code kv.stores.<name>.encryption.keys}</td><td>none: {@code id:base64,...}, 256-bit AES keys; needs {@code format=bytea}</td></tr>
 * <tr><td>{@code kv.stores.<name>.encryption.current}</td><td>the last key listed</td></tr>
 * <tr><td>{@code kv.cleanup.enabled}</td><td>{@code true}</td></tr>
 * <tr><td>{@code kv.cleanup.interval}</td><td>{@code PT1M} (ISO-8601)</td></tr>
 * <tr><td>{@code kv.cleanup.stores}</td><td>every store used (comma-separated names)</td></tr>
 * </table>
 *
 * <p>Values are checked when a store is first used, with messages naming the property; messages about
 * encryption keys name key ids, never key material.
 */
@ApplicationScoped
public class MicroProfileKvSettings implements KvSettings {

    private final Config config = ConfigProvider.getConfig();

    @Override
    public KvConfig store(String name) {
        String prefix = "kv.stores." + name + ".";
        KvConfig.Builder builder = KvConfig.builder();
        String schema = string(prefix + "schema", KvConfig.DEFAULT_SCHEMA);
        checked(prefix + "schema", schema, () -> builder.schema(schema));
        String table = string(prefix + "table", name.equals(DEFAULT_STORE) ? KvConfig.DEFAULT_TABLE : "kv_" + name);
        checked(prefix + "table", table, () -> builder.table(table));
        ValueFormat format = value(prefix + "format", "jsonb", MicroProfileKvSettings::format);
        builder.format(format);
        builder.unlogged(value(prefix + "unlogged", "false", MicroProfileKvSettings::bool));
        builder.changeStream(value(prefix + "change-stream", "false", MicroProfileKvSettings::bool));
        int keyBytes = value(prefix + "max-key-bytes", String.valueOf(Limits.DEFAULT_MAX_KEY_BYTES), Integer::valueOf);
        int valueBytes =
                value(prefix + "max-value-bytes", String.valueOf(Limits.DEFAULT_MAX_VALUE_BYTES), Integer::valueOf);
        checked(
                prefix + "max-key-bytes/max-value-bytes",
                keyBytes + "/" + valueBytes,
                () -> builder.limits(new Limits(keyBytes, valueBytes)));
        int batch = value(
                prefix + "cleanup-batch-size", String.valueOf(KvConfig.DEFAULT_CLEANUP_BATCH_SIZE), Integer::valueOf);
        checked(prefix + "cleanup-batch-size", String.valueOf(batch), () -> builder.cleanupBatchSize(batch));
        Duration pause = value(prefix + "cleanup-pause", KvConfig.DEFAULT_CLEANUP_PAUSE.toString(), Duration::parse);
        checked(prefix + "cleanup-pause", pause.toString(), () -> builder.cleanupPause(pause));
        builder.cleanupStrategy(value(prefix + "cleanup-strategy", "manual", MicroProfileKvSettings::cleanupStrategy));
        builder.defaultExpiry(defaultExpiry(prefix));
        Optional<Encryptor> encryptor = encryptor(prefix + "encryption.");
        if (encryptor.isPresent()) {
            if (format != ValueFormat.BYTEA) {
                throw new IllegalArgumentException(
                        prefix + "encryption.keys needs " + prefix + "format=bytea: encrypted values are not JSON");
            }
            builder.encryptor(encryptor.get());
        }
        // The container owns the schema: migrations run at deployment, and Hibernate never validates
        // a table through a store that only joins the application's persistence unit.
        return builder.runMigrations(false).validateSchema(false).build();
    }

    /**
     * An AES-GCM encryptor from {@code keys} ({@code id:base64-key}, comma-separated; the last one
     * encrypts unless {@code current} names another), or none without keys.
     */
    private Optional<Encryptor> encryptor(String prefix) {
        String property = prefix + "keys";
        Optional<String> current = config.getOptionalValue(prefix + "current", String.class);
        Optional<String> listed = config.getOptionalValue(property, String.class);
        if (listed.isEmpty()) {
            if (current.isPresent()) {
                throw new IllegalArgumentException(prefix + "current is set, but " + property + " is not");
            }
            return Optional.empty();
        }
        AesGcmEncryptor.Builder keys = AesGcmEncryptor.builder();
        String[] entries = listed.get().split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        property + " is invalid: entry " + (i + 1) + " is not of the form id:base64-key");
            }
            String id = entry.substring(0, colon).trim();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException(property + " is invalid: key \"" + id + "\" is not Base64");
            }
            try {
                keys.key(id, key);
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException(property + " is invalid: " + refused.getMessage(), refused);
            }
        }
        current.ifPresent(id -> checked(prefix + "current", id, () -> keys.current(id)));
        return Optional.of(keys.build());
    }

    /** From {@code default-ttl} or {@code default-max-idle}, at most one of them; never without either. */
    private Expiry defaultExpiry(String prefix) {
        Optional<String> ttl = config.getOptionalValue(prefix + "default-ttl", String.class);
        Optional<String> maxIdle = config.getOptionalValue(prefix + "default-max-idle", String.class);
        if (ttl.isPresent() && maxIdle.isPresent()) {
            throw new IllegalArgumentException(prefix + "default-ttl and " + prefix
                    + "default-max-idle are both set: an entry's default expiry is one or the other");
        }
        if (ttl.isPresent()) {
            return value(prefix + "default-ttl", "", text -> Expiry.after(Duration.parse(text)));
        }
        if (maxIdle.isPresent()) {
            return value(prefix + "default-max-idle", "", text -> Expiry.idle(Duration.parse(text)));
        }
        return Expiry.never();
    }

    @Override
    public Cleanup cleanup() {
        boolean enabled = value("kv.cleanup.enabled", "true", MicroProfileKvSettings::bool);
        Duration interval = value("kv.cleanup.interval", Cleanup.DEFAULT_INTERVAL.toString(), Duration::parse);
        List<String> stores = Arrays.stream(string("kv.cleanup.stores", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return checked("kv.cleanup.interval", interval.toString(), () -> new Cleanup(enabled, interval, stores));
    }

    private String string(String property, String fallback) {
        return config.getOptionalValue(property, String.class).orElse(fallback);
    }

    /** Parses a property, or the fallback, with a message naming the property and value on failure. */
    private <T> T value(String property, String fallback, Function<String, T> parse) {
        String text = string(property, fallback).trim();
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException | KvValidationException | DateTimeParseException e) {
            throw new IllegalArgumentException(property + " is invalid: \"" + text + "\" (" + e.getMessage() + ")", e);
        }
    }

    /** Applies a setting, naming the property and value if it is refused. */
    private static <T> T checked(String property, String text, Supplier<T> apply) {
        try {
            return apply.get();
        } catch (IllegalArgumentException | KvValidationException e) {
            throw new IllegalArgumentException(property + " is invalid: \"" + text + "\" (" + e.getMessage() + ")", e);
        }
    }

    private static ValueFormat format(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "jsonb" -> ValueFormat.JSONB;
            case "bytea" -> ValueFormat.BYTEA;
            default -> throw new IllegalArgumentException("expected jsonb or bytea");
        };
    }

    private static CleanupStrategy cleanupStrategy(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "manual" -> CleanupStrategy.MANUAL;
            case "on-read" -> CleanupStrategy.ON_READ;
            case "disabled" -> CleanupStrategy.DISABLED;
            default -> throw new IllegalArgumentException("expected manual, on-read or disabled");
        };
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}

package dev.kv.rest;

import dev.kv.Entry;
import dev.kv.KeyOrder;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.cdi.KvStoreName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The key-value API. JSON bodies live in the default store (a {@code jsonb} table), any other body
 * in the {@code blobs} store (a {@code bytea} table); a key lives in one of them at a time, and GET
 * answers with the content type it was stored with. Every entry carries its version as ETag; PUT
 * and DELETE with {@code If-Match} apply only to that version (else 412), PUT with {@code
 * If-None-Match: *} only creates. Each request is one transaction.
 */
@Path("/kv")
@ApplicationScoped
public class KvResource {

    static final String TTL_HEADER = "Kv-Ttl";
    static final String EXPIRES_HEADER = "Kv-Expires-At";
    static final int MAX_PAGE = 1000;

    private final KvStore json;
    private final KvStore blobs;

    @Inject
    public KvResource(KvStore json, @KvStoreName("blobs") KvStore blobs) {
        this.json = json;
        this.blobs = blobs;
    }

    /** For JAX-RS implementations that look for a public constructor; CDI uses the injecting one. */
    public KvResource() {
        this(null, null);
    }

    private record Held(KvStore store, Entry entry) {}

    private Optional<Held> find(String key) {
        Optional<Entry> entry = json.getEntry(key);
        if (entry.isPresent()) {
            return Optional.of(new Held(json, entry.get()));
        }
        return blobs.getEntry(key).map(e -> new Held(blobs, e));
    }

    private MediaType typeOf(KvStore store) {
        return store == json ? MediaType.APPLICATION_JSON_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE;
    }

    @GET
    @Path("{key}")
    @Transactional
    public Response get(@PathParam("key") String key) {
        Held held = find(key).orElseThrow(() -> Problem.notFound(key));
        Response.ResponseBuilder response = Response.ok(held.entry().value(), typeOf(held.store()))
                .header(HttpHeaders.ETAG, EntityTags.of(held.entry().version()));
        held.entry().expiresAt().ifPresent(at -> response.header(EXPIRES_HEADER, at.toString()));
        return response.build();
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.WILDCARD)
    @Transactional
    public Response put(
            @PathParam("key") String key,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @QueryParam("ttl") String ttlParameter,
            @HeaderParam(TTL_HEADER) String ttlHeader,
            byte[] body) {
        Duration ttl = Ttls.parse(ttlParameter, ttlHeader);
        KvStore target = isJson(contentType) ? json : blobs;
        int maximum = target.config().limits().maxValueBytes();
        if (body.length > maximum) {
            throw Problem.tooLarge(body.length, maximum);
        }
        Optional<Held> held = find(key);
        if (ifNoneMatch != null && ifNoneMatch.trim().equals("*") && held.isPresent()) {
            throw Problem.preconditionFailed("\"" + key + "\" exists, and If-None-Match: * only creates");
        }
        if (ifMatch != null) {
            Held current =
                    held.orElseThrow(() -> Problem.preconditionFailed("no entry for key \"" + key + "\" to match"));
            KvStore store = current.store();
            boolean sameStore = store == target;
            // The version is compared under the row lock update() takes: a concurrent writer either
            // committed before (and the version moved on) or waits until this transaction ends.
            UnaryOperator<byte[]> replace = value -> {
                checkVersion(store, key, ifMatch);
                return sameStore ? body : null;
            };
            if (sameStore && ttl != null) {
                store.update(key, ttl, replace);
            } else {
                store.update(key, replace);
            }
            if (!sameStore) {
                write(target, key, body, ttl);
            } else if (ttl == null) {
                store.persist(key);
            }
        } else {
            write(target, key, body, ttl);
            (target == json ? blobs : json).delete(key);
        }
        long version = target.getEntry(key).orElseThrow().version();
        return Response.status(held.isPresent() ? Response.Status.NO_CONTENT : Response.Status.CREATED)
                .header(HttpHeaders.ETAG, EntityTags.of(version))
                .build();
    }

    private static void write(KvStore store, String key, byte[] body, Duration ttl) {
        if (ttl == null) {
            store.set(key, body);
        } else {
            store.set(key, body, ttl);
        }
    }

    private static void checkVersion(KvStore store, String key, String ifMatch) {
        long version = store.getEntry(key).map(Entry::version).orElse(0L);
        if (version == 0 || !EntityTags.matches(ifMatch, version)) {
            throw Problem.preconditionFailed(
                    "\"" + key + "\" is at version " + EntityTags.of(version) + ", not " + ifMatch);
        }
    }

    @DELETE
    @Path("{key}")
    @Transactional
    public Response delete(@PathParam("key") String key, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (ifMatch != null) {
            Held current = find(key)
                    .orElseThrow(() -> Problem.preconditionFailed("no entry for key \"" + key + "\" to match"));
            current.store().update(key, value -> {
                checkVersion(current.store(), key, ifMatch);
                return null;
            });
            return Response.noContent().build();
        }
        boolean deleted = json.delete(key) | blobs.delete(key);
        if (!deleted) {
            throw Problem.notFound(key);
        }
        return Response.noContent().build();
    }

    /**
     * Live keys starting with {@code prefix}, in code point order, a page at a time: pass the
     * {@code next} of one page as {@code after} to get the following one.
     */
    @GET
    @Transactional
    public Response list(
            @QueryParam("prefix") @DefaultValue("") String prefix,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Problem.badRequest("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        // Each store gives its next limit + 1 keys after the cursor; merged, they show whether more follow.
        ScanOptions scan = ScanOptions.prefix(prefix).limit(limit + 1);
        if (after != null) {
            scan = scan.after(after);
        }
        List<String> keys = new ArrayList<>(json.keys(scan));
        keys.addAll(blobs.keys(scan));
        keys.sort(KeyOrder.CODE_POINTS);
        List<String> page = keys.subList(0, Math.min(limit, keys.size()));
        boolean more = keys.size() > limit;
        String next = more ? Json.string(page.get(page.size() - 1)) : "null";
        return Response.ok(
                        "{\"keys\":" + Json.strings(page) + ",\"next\":" + next + "}", MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /**
     * Adds {@code by} (default 1) to the integer stored under {@code key}, 0 if absent, atomically
     * across every instance of the application; answers the new value.
     */
    @POST
    @Path("{key}/increment")
    @Transactional
    public Response increment(
            @PathParam("key") String key,
            @QueryParam("by") @DefaultValue("1") long by,
            @QueryParam("ttl") String ttlParameter,
            @HeaderParam(TTL_HEADER) String ttlHeader) {
        Duration ttl = Ttls.parse(ttlParameter, ttlHeader);
        if (blobs.exists(key)) {
            throw Problem.conflict("\"" + key + "\" holds binary data, not an integer");
        }
        long next = json.increment(key, by);
        if (ttl != null) {
            json.expire(key, ttl);
        }
        long version = json.getEntry(key).orElseThrow().version();
        return Response.ok(Long.toString(next), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, EntityTags.of(version))
                .build();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        MediaType type = MediaType.valueOf(contentType);
        return type.getType().equals("application")
                && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }
}

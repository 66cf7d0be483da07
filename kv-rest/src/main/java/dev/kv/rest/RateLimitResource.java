package dev.kv.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /rate-limit/{client}}: counts a request; 200 with what remains, or 429 with Retry-After. */
@Path("/rate-limit")
@ApplicationScoped
public class RateLimitResource {

    private final RateLimiter limiter;

    @Inject
    public RateLimitResource(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** For JAX-RS implementations that look for a public constructor; CDI uses the injecting one. */
    public RateLimitResource() {
        this(null);
    }

    @POST
    @Path("{client}")
    public Response acquire(@PathParam("client") String client) {
        RateLimiter.Decision decision = limiter.acquire(client);
        String retryAfter = Long.toString(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000));
        if (!decision.allowed()) {
            return Problem.response(429, "Too Many Requests", "rate limit of \"" + client + "\" reached")
                    .header("Retry-After", retryAfter)
                    .build();
        }
        return Response.ok("{\"remaining\":" + decision.remaining() + "}", MediaType.APPLICATION_JSON_TYPE)
                .header("RateLimit-Remaining", decision.remaining())
                .build();
    }
}

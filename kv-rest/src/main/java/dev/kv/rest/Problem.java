package dev.kv.rest;

import jakarta.ws.rs.core.Response;

/**
 * A failure answered as {@code application/problem+json} (RFC 9457), thrown by the resources and
 * written by {@link ProblemMapper}.
 */
public class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;

    public Problem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    public static Problem notFound(String key) {
        return new Problem(404, "Not Found", "no entry for key \"" + key + "\"");
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail);
    }

    public static Problem preconditionFailed(String detail) {
        return new Problem(412, "Precondition Failed", detail);
    }

    public static Problem tooLarge(int size, int maximum) {
        return new Problem(
                413, "Content Too Large", "value is " + size + " bytes, more than the maximum of " + maximum);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem document as a response. */
    public Response toResponse() {
        return response(status, title, getMessage()).build();
    }

    static Response.ResponseBuilder response(int status, String title, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":" + Json.string(title) + ",\"status\":" + status
                + ",\"detail\":" + Json.string(detail == null ? title : detail) + "}";
        return Response.status(status).type("application/problem+json").entity(body);
    }
}

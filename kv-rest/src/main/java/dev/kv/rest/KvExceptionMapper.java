package dev.kv.rest;

import dev.kv.CounterOverflowException;
import dev.kv.InvalidKeyException;
import dev.kv.KeyCollisionException;
import dev.kv.KeyNotFoundException;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.KvValidationException;
import dev.kv.TypeMismatchException;
import dev.kv.VersionConflictException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers a store's exceptions as problems: a refused key or value 400, a hash collision or a value
 * of the wrong type 409, an absent key 404, a version conflict 412, a
 * database failure that trying again can cure (connection lost, server starting or shutting down,
 * deadlock, lock timeout) 503 with {@code Retry-After}, any other 500.
 */
@Provider
public class KvExceptionMapper implements ExceptionMapper<KvException> {

    private static final Logger LOG = Logger.getLogger(KvExceptionMapper.class.getName());

    @Override
    public Response toResponse(KvException failure) {
        if (failure instanceof InvalidKeyException || failure instanceof KvValidationException) {
            return Problem.response(400, "Bad Request", failure.getMessage()).build();
        }
        if (failure instanceof KeyCollisionException
                || failure instanceof TypeMismatchException
                || failure instanceof CounterOverflowException) {
            return Problem.response(409, "Conflict", failure.getMessage()).build();
        }
        if (failure instanceof KeyNotFoundException) {
            return Problem.response(404, "Not Found", failure.getMessage()).build();
        }
        if (failure instanceof VersionConflictException) {
            return Problem.response(412, "Precondition Failed", failure.getMessage())
                    .build();
        }
        if (failure instanceof KvDatabaseException database && database.retryable()) {
            LOG.log(Level.WARNING, "kv database unavailable", failure);
            return Problem.response(503, "Service Unavailable", "the database is unavailable, try again later")
                    .header("Retry-After", "1")
                    .build();
        }
        LOG.log(Level.SEVERE, "kv operation failed", failure);
        return Problem.response(500, "Internal Server Error", "the operation failed")
                .build();
    }
}

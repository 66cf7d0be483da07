package dev.kv.wildfly;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API of kv-rest (its resources and problem mappers) under {@code /api}. */
@ApplicationPath("/api")
public class KvApplication extends Application {}

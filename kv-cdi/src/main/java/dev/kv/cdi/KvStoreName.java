package dev.kv.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects a named store: {@code @Inject @KvStoreName("sessions") KvStore sessions;}. Each name has
 * its own configuration ({@code kv.stores.<name>.*}) and so its own table; the unqualified store is
 * named {@value KvSettings#DEFAULT_STORE}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface KvStoreName {

    /** The store's name: what follows {@code kv.stores.} in its configuration properties. */
    @Nonbinding
    String value();

    /** An instance of the qualifier, for programmatic lookup. */
    final class Literal extends AnnotationLiteral<KvStoreName> implements KvStoreName {

        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}

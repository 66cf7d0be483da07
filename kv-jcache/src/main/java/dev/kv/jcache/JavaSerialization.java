package dev.kv.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import javax.cache.CacheException;

/** Store-by-value: keys and values are copied through Java serialization, read back with the cache's class loader. */
final class JavaSerialization {

    private JavaSerialization() {}

    static byte[] toBytes(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(
                    "a kv cache stores by value, and " + object.getClass().getName() + " is not Serializable", e);
        } catch (IOException e) {
            throw new CacheException(
                    "could not serialize a " + object.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    static Object fromBytes(byte[] bytes, ClassLoader classLoader) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), classLoader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new CacheException("could not deserialize a stored key or value", e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {

        private final ClassLoader classLoader;

        LoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
            super(in);
            this.classLoader = classLoader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(description.getName(), false, classLoader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(description);
            }
        }
    }
}

package dev.kv.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans with the platform MBean server under JSR-107's names: {@code
 * javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 */
final class ManagementBeans {

    enum Kind {
        CacheConfiguration,
        CacheStatistics
    }

    private ManagementBeans() {}

    static void register(Object bean, Kind kind, String managerUri, String cacheName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(kind, managerUri, cacheName);
        try {
            server.registerMBean(bean, name);
        } catch (InstanceAlreadyExistsException e) {
            // Registered already: enabling twice changes nothing.
        } catch (JMException e) {
            throw new CacheException("could not register " + name, e);
        }
    }

    static void unregister(Kind kind, String managerUri, String cacheName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(kind, managerUri, cacheName);
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Not registered: nothing to do.
        } catch (JMException e) {
            throw new CacheException("could not unregister " + name, e);
        }
    }

    private static ObjectName name(Kind kind, String managerUri, String cacheName) {
        try {
            return new ObjectName(
                    "javax.cache:type=" + kind + ",CacheManager=" + safe(managerUri) + ",Cache=" + safe(cacheName));
        } catch (MalformedObjectNameException e) {
            throw new CacheException(e);
        }
    }

    /** JMX refuses {@code : = , \n} in an unquoted value. */
    private static String safe(String text) {
        return text.replaceAll(":|=|\n|,", ".");
    }
}

package org.fusebox.rest;

import java.lang.reflect.Proxy;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** Bundles that only know their id, name, version and state: all the inspector reads. */
final class FakeBundles {

    private FakeBundles() {
    }

    static Bundle bundle(long id, String symbolicName, String version, int state) {
        return (Bundle) Proxy.newProxyInstance(FakeBundles.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getState" -> state;
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> proxy == args[0];
                    case "toString" -> symbolicName + " [" + id + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

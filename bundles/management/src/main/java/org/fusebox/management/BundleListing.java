package org.fusebox.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Comparator;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The bundles remote operators care about: Fusebox's own, and whatever this service installed. */
final class BundleListing {

    private BundleListing() {
    }

    static boolean isFusebox(Bundle b) {
        String bsn = b.getSymbolicName();
        return bsn != null && (bsn.startsWith("fusebox") || bsn.startsWith("org.fusebox")
                || b.getLocation().startsWith(BundleDeployer.LOCATION_PREFIX));
    }

    static ArrayNode bundles(BundleContext context, boolean all) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Arrays.stream(context.getBundles()).filter(b -> all || isFusebox(b))
                .sorted(Comparator.comparingLong(Bundle::getBundleId)).forEach(b -> {
                    ObjectNode n = out.addObject();
                    n.put("id", b.getBundleId());
                    n.put("symbolicName", b.getSymbolicName());
                    n.put("version", b.getVersion().toString());
                    n.put("state", BundleStates.name(b.getState()));
                    n.put("location", b.getLocation());
                });
        return out;
    }
}

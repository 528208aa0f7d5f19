package org.fusebox.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox configuration management",
        description = "Snapshots and secrets of the site configuration service. PID fusebox.config.")
public @interface ConfigServiceConfig {

    @AttributeDefinition(name = "Snapshot directory",
            description = "Where snapshots are kept; empty means ${karaf.data}/fusebox/config-snapshots. A relative path is resolved against karaf.data.")
    String snapshotDirectory() default "";

    @AttributeDefinition(name = "Snapshots kept", min = "1", max = "1000",
            description = "How many snapshots are kept; the oldest go first.")
    int keepSnapshots() default 20;

    @AttributeDefinition(name = "Secret names",
            description = "A property whose name contains one of these words (any case) is a secret, as is every Metatype PASSWORD attribute.")
    String[] maskedNames() default { "password", "secret", "token", "key" };
}

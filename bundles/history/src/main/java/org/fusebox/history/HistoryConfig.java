package org.fusebox.history;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox history",
        description = "A bounded local time series of the site's main values, recorded from each control cycle. PID fusebox.history; every key is optional.")
public @interface HistoryConfig {

    @AttributeDefinition(name = "Directory", required = false,
            description = "Where the round-robin file lives. Empty: ${karaf.data}/fusebox/history. A relative path is "
                    + "resolved against karaf.base.")
    String directory() default "";

    @AttributeDefinition(name = "Charger series", min = "0", max = "32",
            description = "How many chargers get a power series of their own (the first ones seen keep their slot). "
                    + "Changing it starts a new file; the old one is moved aside.")
    int chargerSeries() default 8;

    @AttributeDefinition(name = "Points per answer", min = "10", max = "20000",
            description = "The most points one series of a history answer may have; a request asking for more is refused "
                    + "with 400 (automatic resolution picks a coarser archive instead).")
    int maxPoints() default 2000;
}

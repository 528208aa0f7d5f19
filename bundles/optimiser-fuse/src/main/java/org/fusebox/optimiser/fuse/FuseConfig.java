package org.fusebox.optimiser.fuse;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox fuse protection",
        description = "Shares the grid connection's current among charging EVs. PID fusebox.optimiser.fuse.")
public @interface FuseConfig {

    @AttributeDefinition(name = "Priorities",
            description = "chargerId=weight entries (weight 1..100, default 1). A higher weight gets a larger share and is paused last.")
    String[] priorities() default {};

    @AttributeDefinition(name = "Resume hysteresis (A)", min = "0",
            description = "A paused EV starts again only when it can get its minimum plus this much, so chargers are not flapped.")
    double resumeHysteresisAmps() default 2.0;

    @AttributeDefinition(name = "Minimum increase (A)", min = "0",
            description = "Raises smaller than this are not sent; reductions always are.")
    double minIncreaseAmps() default 1.0;
}

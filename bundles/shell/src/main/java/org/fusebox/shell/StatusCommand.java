package org.fusebox.shell;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteClock;

/** {@code fusebox:status}: what the control loop is doing, the grid against the fuse, and every component's health. */
@Command(scope = "fusebox", name = "status",
        description = "Shows the control mode, the last cycle, grid power and phase currents against the fuse, and component health")
@Service
public class StatusCommand implements Action {

    /** Optional, so the command still answers (and says so) while the core is missing or being upgraded. */
    @Reference(optional = true)
    ControlLoop controlLoop;

    /** Karaf fills a list reference with every registered service; it never keeps the command from registering. */
    @Reference
    List<HealthIndicator> healthIndicators;

    /** The simulator's clock, when it runs the site faster than real time. */
    @Reference(optional = true, filter = SiteClock.FILTER)
    Clock siteClock;

    @Override
    public Object execute() {
        Optional<ControlLoop> loop = Optional.ofNullable(controlLoop);
        List<ComponentHealth> health = ComponentHealth.checkAll(healthIndicators == null ? List.of() : healthIndicators);
        System.out.print(StatusReport.render(loop.map(ControlLoop::state), loop.flatMap(ControlLoop::lastCycle), health,
                Instant.now(), Optional.ofNullable(siteClock).map(Clock::instant)));
        return null;
    }
}

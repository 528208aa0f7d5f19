package org.fusebox.shell;

import java.time.ZoneId;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;

/** {@code fusebox:plans}: what the planning optimisers intend per EV and battery. */
@Command(scope = "fusebox", name = "plans",
        description = "Shows each planning optimiser's plan: per EV and battery the energy, deadline, expected cost and next slots")
@Service
public class PlansCommand implements Action {

    @Reference(optional = true)
    ControlLoop controlLoop;

    @Override
    public Object execute() {
        if (controlLoop == null) {
            System.out.println("No control loop is running (is the fusebox-core bundle active?): no plans to show.");
            return null;
        }
        Optional<CycleReport> last = controlLoop.lastCycle();
        if (last.isEmpty()) {
            System.out.println("No control cycle has completed yet: no plans to show.");
            return null;
        }
        System.out.println(DevicesMessages.header(last.get()));
        PlansReport.print(last.get(), ZoneId.systemDefault(), System.out);
        return null;
    }
}

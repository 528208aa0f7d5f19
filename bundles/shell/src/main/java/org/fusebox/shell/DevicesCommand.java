package org.fusebox.shell;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;

/** {@code fusebox:devices}: every device and connector as the last control cycle saw it, with its applied setpoint. */
@Command(scope = "fusebox", name = "devices",
        description = "Lists every device and charger connector with its status, main measurement and applied setpoint")
@Service
public class DevicesCommand implements Action {

    /** Optional, so the command still answers (and says so) while the core is missing or being upgraded. */
    @Reference(optional = true)
    ControlLoop controlLoop;

    @Override
    public Object execute() {
        if (controlLoop == null) {
            System.out.println(DevicesMessages.NO_CONTROL_LOOP);
            return null;
        }
        Optional<CycleReport> last = controlLoop.lastCycle();
        if (last.isEmpty()) {
            System.out.println(DevicesMessages.NO_CYCLE);
            return null;
        }
        System.out.println(DevicesMessages.header(last.get()));
        DevicesTable.print(DeviceRow.of(last.get()), System.out);
        return null;
    }
}

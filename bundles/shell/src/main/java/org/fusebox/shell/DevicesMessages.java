package org.fusebox.shell;

import org.fusebox.api.control.CycleReport;

/** The words around the devices table. */
final class DevicesMessages {

    static final String NO_CONTROL_LOOP = "No control loop is running (is the fusebox-core bundle active?): no devices to show.";
    static final String NO_CYCLE = "No control cycle has completed yet: no devices to show.";

    private DevicesMessages() {
    }

    /** Says which cycle the table comes from, since a table is a snapshot and may be seconds old. */
    static String header(CycleReport report) {
        return "As seen by cycle #" + report.cycle() + " at " + report.snapshot().timestamp() + " site time (" + report.state().mode() + ")";
    }
}

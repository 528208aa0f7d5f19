package org.fusebox.shell;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lays device rows out as a Karaf shell table. */
final class DevicesTable {

    private DevicesTable() {
    }

    static ShellTable of(List<DeviceRow> rows) {
        ShellTable table = new ShellTable().emptyTableText("no devices");
        table.column("Device");
        table.column("Role");
        table.column("Status");
        table.column("Measurement");
        table.column("Setpoint");
        for (DeviceRow row : rows) {
            table.addRow().addContent(row.device(), row.role(), row.status(), row.measurement(), row.setpoint());
        }
        return table;
    }

    static void print(List<DeviceRow> rows, PrintStream out) {
        of(rows).print(out);
    }
}

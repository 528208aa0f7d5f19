package org.fusebox.driver.modbus.sunspec;

import java.util.List;
import java.util.Optional;

/**
 * What a scan of a device found.
 *
 * @param baseAddress where the "SunS" marker was, or -1 when there was none
 * @param models      the models in chain order, up to where the chain ended or broke
 * @param problem     why the chain could not be walked to its end marker, or {@code null} when it could
 */
public record SunSpecScan(int baseAddress, List<SunSpecModel> models, String problem) {

    public SunSpecScan {
        models = List.copyOf(models);
    }

    public boolean found() {
        return baseAddress >= 0;
    }

    public boolean complete() {
        return found() && problem == null;
    }

    /** The first model with this id; devices with several (e.g. two meters) list them in chain order. */
    public Optional<SunSpecModel> model(int id) {
        return models.stream().filter(m -> m.id() == id).findFirst();
    }
}

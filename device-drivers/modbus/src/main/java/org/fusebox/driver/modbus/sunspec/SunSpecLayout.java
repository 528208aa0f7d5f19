package org.fusebox.driver.modbus.sunspec;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.ModbusReplyException;
import org.fusebox.driver.modbus.RegisterReader;

/**
 * What identifies the register layout of a SunSpec device: its common model 1 identity and its model
 * chain. Two reads that give equal layouts may use the same points; a firmware update that moves a model
 * or drops one gives a different layout, so the points are bound again.
 *
 * @param identity Mn, Md, Vr and SN from model 1, or {@code null} when the device has none or refused it
 * @param scan     the model chain
 */
public record SunSpecLayout(SunSpecCommon identity, SunSpecScan scan) {

    /** Scans the chain and reads model 1's identity. */
    public static SunSpecLayout read(RegisterReader reader) throws ConnectionException {
        SunSpecScan scan = new SunSpecScanner(reader).scan();
        SunSpecCommon identity = null;
        Optional<SunSpecModel> common = scan.model(SunSpecCommon.MODEL_ID);
        if (common.isPresent() && common.get().length() >= 64) {
            try {
                identity = SunSpecCommon.read(reader, common.get());
            } catch (ModbusReplyException refused) {
                // the chain alone still identifies the layout
            }
        }
        return new SunSpecLayout(identity, scan);
    }

    /** The model ids in chain order. */
    public List<Integer> modelIds() {
        return scan.models().stream().map(SunSpecModel::id).toList();
    }

    /** Model ids this layout has and {@code newer} lacks. */
    public List<Integer> modelsGoneIn(SunSpecLayout newer) {
        List<Integer> now = newer.modelIds();
        return modelIds().stream().filter(id -> !now.contains(id)).distinct().toList();
    }

    @Override
    public String toString() {
        String who = identity == null ? "no identity"
                : identity.manufacturer() + " " + identity.model() + " SN " + identity.serialNumber() + " version "
                        + identity.version();
        return who + ", models " + scan.models().stream()
                .map(m -> m.id() + "@" + m.dataAddress() + "+" + m.length()).collect(Collectors.joining(" ", "[", "]"))
                + (scan.problem() == null ? "" : " (" + scan.problem() + ")");
    }
}

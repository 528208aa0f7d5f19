package org.fusebox.history;

import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalInt;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;

/**
 * Turns a snapshot into one sample: a value per series of the catalogue, in its order, {@code NaN} where the
 * snapshot has nothing fresh (no grid reading, no battery) so that the store records "unknown" rather than 0.
 */
final class SeriesMapping {

    private final SeriesCatalogue catalogue;
    private final ChargerSlots slots;

    SeriesMapping(SeriesCatalogue catalogue, ChargerSlots slots) {
        this.catalogue = catalogue;
        this.slots = slots;
    }

    double[] sample(SiteSnapshot s) throws IOException {
        double[] v = new double[catalogue.all().size()];
        Arrays.fill(v, Double.NaN);
        s.gridMeter().map(g -> g.reading()).ifPresent(r -> {
            v[0] = r.currents().l1().amps();
            v[1] = r.currents().l2().amps();
            v[2] = r.currents().l3().amps();
            v[3] = r.power().watts();
        });
        v[4] = pv(s);
        v[5] = batteryPower(s);
        v[6] = batterySoc(s);
        double evTotal = Double.NaN;
        int firstSlot = catalogue.all().size() - catalogue.chargerSlots();
        for (ChargerState c : s.chargers()) {
            if (c.reading() == null) {
                continue;
            }
            double charger = 0;
            for (ConnectorReading r : c.reading().connectors()) {
                charger += r.power().watts();
            }
            evTotal = Double.isNaN(evTotal) ? charger : evTotal + charger;
            if (catalogue.chargerSlots() > 0) {
                OptionalInt slot = slots.slotOf(c.id());
                if (slot.isPresent()) {
                    v[firstSlot + slot.getAsInt() - 1] = charger;
                }
            }
        }
        v[7] = evTotal;
        return v;
    }

    private static double pv(SiteSnapshot s) {
        double sum = Double.NaN;
        for (PvState p : s.pv()) {
            if (p.reading() != null) {
                sum = Double.isNaN(sum) ? p.reading().power().watts() : sum + p.reading().power().watts();
            }
        }
        return sum;
    }

    private static double batteryPower(SiteSnapshot s) {
        double sum = Double.NaN;
        for (BatteryState b : s.batteries()) {
            if (b.reading() != null) {
                sum = Double.isNaN(sum) ? b.reading().power().watts() : sum + b.reading().power().watts();
            }
        }
        return sum;
    }

    /** The site's state of charge: the batteries' mean weighted by capacity (plain mean when none is rated). */
    private static double batterySoc(SiteSnapshot s) {
        double weighted = 0;
        double capacity = 0;
        double plain = 0;
        int n = 0;
        for (BatteryState b : s.batteries()) {
            if (b.reading() == null) {
                continue;
            }
            double soc = b.reading().soc().value();
            double wh = b.ratings().capacity().wattHours();
            weighted += soc * wh;
            capacity += wh;
            plain += soc;
            n++;
        }
        if (n == 0) {
            return Double.NaN;
        }
        return capacity > 0 ? weighted / capacity : plain / n;
    }
}

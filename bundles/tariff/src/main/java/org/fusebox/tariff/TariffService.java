package org.fusebox.tariff;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.market.Tariff;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's {@link Tariff}, configured by PID {@value #PID}. A refused configuration keeps the previous valid
 * one in force; before any valid one, it refuses to price (the core then plans without prices, never on a
 * guess), and health says why.
 */
@Component(service = { Tariff.class, HealthIndicator.class }, configurationPid = TariffService.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = TariffConfig.class)
public final class TariffService implements Tariff, HealthIndicator {

    static final String PID = "fusebox.tariff";
    private static final Logger LOG = LoggerFactory.getLogger(TariffService.class);

    private volatile TariffCalculator inForce;
    private volatile String error;
    private volatile String lastRefusal;
    private volatile EventAdmin eventAdmin;

    @Activate
    @Modified
    void configure(TariffConfig config) {
        try {
            TariffSettings s = TariffSettings.from(config);
            inForce = new TariffCalculator(s);
            error = null;
            LOG.info("Tariff in force: {} import {}, VAT {} %, export {}", s.currency(), s.spotImport() ? "spot plus charges" : "fixed",
                    s.vatPercent().toPlainString(), s.exportMode().name().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error = "configuration " + PID + " refused, " + (inForce == null ? "no tariff in force" : "the previous tariff stays in force")
                    + ": " + e.getMessage();
            LOG.error(error);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage())));
            }
        }
    }

    @Override
    public SitePrices prices(Instant from, Instant to, PriceCurve market, Set<String> retailSources, ZoneId zone) {
        TariffCalculator c = inForce;
        if (c == null) {
            throw new IllegalStateException("no valid tariff configuration (" + PID + ")");
        }
        try {
            SitePrices p = c.prices(from, to, market, retailSources, zone);
            lastRefusal = null;
            return p;
        } catch (IllegalArgumentException e) {
            lastRefusal = e.getMessage();
            throw e;
        }
    }

    @Override
    public String name() {
        return "tariff";
    }

    @Override
    public Health health() {
        String e = error;
        String r = lastRefusal;
        if (e == null && r == null) {
            return Health.up();
        }
        if (inForce == null) {
            return Health.down(e);
        }
        return e == null ? Health.degraded(r) : r == null ? Health.degraded(e) : Health.degraded(e, r);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }
}

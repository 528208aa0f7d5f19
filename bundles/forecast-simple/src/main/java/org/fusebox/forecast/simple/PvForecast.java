package org.fusebox.forecast.simple;

import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.Forecaster;
import org.fusebox.api.health.HealthIndicator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/** The PV production forecaster: a configured day, and what it learns per weekday from the control loop. */
@Component(service = { Forecaster.class, HealthIndicator.class }, configurationPid = PvForecast.PID, immediate = true)
@Designate(ocd = PvForecastConfig.class)
public final class PvForecast extends ForecastComponent {

    static final String PID = "fusebox.forecast.pv";

    public PvForecast() {
        super(PID, ForecastKind.PV_PRODUCTION, "simple-pv");
    }

    @Activate
    @Modified
    void configure(PvForecastConfig config) {
        configure(() -> ForecastSettings.fromPv(config, karafData()));
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setControlLoop(ControlLoop loop) {
        bindControlLoop(loop);
    }

    void unsetControlLoop(ControlLoop loop) {
        unbindControlLoop(loop);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        bindEventAdmin(ea);
    }

    void unsetEventAdmin(EventAdmin ea) {
        unbindEventAdmin(ea);
    }
}

package org.fusebox.api.forecast;

/** What a forecast predicts. Both are positive numbers of watts. */
public enum ForecastKind {
    /** AC output of all PV inverters together, production positive. */
    PV_PRODUCTION,
    /**
     * The site's uncontrolled consumption: what the grid meter would read without PV, batteries and EV
     * chargers. Consumption positive.
     */
    SITE_LOAD
}

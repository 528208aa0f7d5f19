/**
 * Forecasts of PV production and site load over the planning horizon, behind one small contract so a
 * better forecaster (weather-based, learned) can replace a simple one without touching the optimisers.
 */
@Version("1.0.0")
@Export
package org.fusebox.api.forecast;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The simulated site's physics: grid connection, building load, PV, battery and EV chargers, advanced in
 * simulated time by {@link org.fusebox.simulator.model.SiteModel#step(java.time.Duration)}. Plain Java on
 * purpose (no OSGi), so it can be tested and reasoned about on its own. Not exported.
 *
 * <p>Units inside the model are plain doubles with the unit in the name (watts, amps, wattHours); the
 * OSGi layer turns them into the api's quantity types at the bundle boundary.
 */
package org.fusebox.simulator.model;

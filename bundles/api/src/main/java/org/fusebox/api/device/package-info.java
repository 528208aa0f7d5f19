/**
 * Device roles: what a driver offers the control core. A driver registers one OSGi service per device,
 * under the role interface it plays ({@link org.fusebox.api.device.GridMeter},
 * {@link org.fusebox.api.device.PvInverter}, {@link org.fusebox.api.device.Battery},
 * {@link org.fusebox.api.device.EvCharger}).
 *
 * <p>Reading a device never does I/O: a driver polls on its own schedule and hands out its latest
 * reading, stamped with the time it was taken, so a slow device can never stall a control cycle. Writes
 * return at once with a stage that completes when the device has acknowledged or refused.
 */
@Version("1.2.0")
@Export
package org.fusebox.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

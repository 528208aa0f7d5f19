/**
 * The field-device contract below the device roles: a {@link org.fusebox.api.driver.Driver} speaks one
 * protocol to one device and moves typed values on named {@link org.fusebox.api.driver.Channel}s. A
 * device-role adapter (a grid meter, a battery) is built on top by mapping channels to measurements and
 * setpoints, so a new device often needs only a channel map, not code.
 */
@Version("1.0.0")
@Export
package org.fusebox.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

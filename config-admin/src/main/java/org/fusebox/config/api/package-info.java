/**
 * Configuration management of a Fusebox site: list the {@code fusebox.*} configurations with their
 * secrets masked, validate and apply sets of changes atomically against their Metatype, keep snapshots
 * and roll back to them, and export or import the whole site configuration as one document.
 */
@Version("1.0.0")
@Export
package org.fusebox.config.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

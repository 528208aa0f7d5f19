/**
 * EventAdmin topics and property names Fusebox posts on, so that any bundle (a cloud link, a logger, a
 * third-party plugin) can listen without depending on the core.
 */
@Version("1.2.0")
@Export
package org.fusebox.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

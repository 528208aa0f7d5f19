/**
 * The control contract: optimisers turn a {@link org.fusebox.api.site.SiteSnapshot} into
 * {@link org.fusebox.api.control.Setpoints}; the core runs them each cycle, lets its SafetyGuard have the
 * last word, and reports what happened through {@link org.fusebox.api.control.ControlLoop}.
 */
@Version("1.3.0")
@Export
package org.fusebox.api.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

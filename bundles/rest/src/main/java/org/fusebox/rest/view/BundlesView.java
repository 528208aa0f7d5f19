package org.fusebox.rest.view;

import java.util.List;

/**
 * The answer of {@code GET /bundles}; an object rather than a bare array so fields can be added later.
 *
 * @param bundles every bundle whose symbolic name starts with {@code fusebox}, by id
 */
public record BundlesView(List<BundleView> bundles) {
}

package org.fusebox.api.metrics;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that tells its component's measurements: a driver's requests and failures, a link's queue depth.
 * An exporter calls {@link #measurements()} whenever it is scraped (every few seconds), from any thread, so it
 * must answer at once from memory, never doing I/O or waiting on a lock held across I/O.
 * <p>
 * The exporter names a measurement {@code fusebox_<component>_<name>}: component {@code modbus} and name
 * {@code requests_total} become {@code fusebox_modbus_requests_total}. Several sources may share a component
 * (one per device, told apart by a label such as {@code device}); their measurements of one name must then
 * agree on the kind. Each answer is the whole truth: a series missing from it is gone. An exporter skips a
 * source that throws or answers something unusable (no list, a repeated series), and bounds how many series
 * one source may give.
 *
 * @since 1.0
 */
@ConsumerType
public interface MetricsSource {

    /**
     * The component the measurements belong to, e.g. {@code modbus}, {@code ocpp}, {@code cloud.mqtt}: lower
     * case letters, digits, {@code _} and {@code .} read best; anything else becomes {@code _} in the name.
     */
    String component();

    /** Every measurement now, each series once. */
    List<Measurement> measurements();
}

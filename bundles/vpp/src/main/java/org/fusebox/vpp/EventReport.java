package org.fusebox.vpp;

import java.time.Instant;

/**
 * What one dispatch delivered. Powers in kW, energy in kWh; {@code null} where it could not be measured.
 *
 * @param endedAt         when the event stopped: its end, or when it was cancelled
 * @param baselineKw      the mean grid import over the baseline window before the start
 * @param baselineSamples how many grid readings that mean is made of
 * @param measuredKw      the mean grid import from the start until {@code endedAt}
 * @param measuredSamples how many grid readings that mean is made of
 * @param deliveredKw     baseline − measured
 * @param deliveredKwh    delivered kW over the event's length (start to {@code endedAt})
 * @param targetMet       whether the measured mean stayed at or under the target
 * @param offeredShedKw   what the site offered for the dispatch's period when it was accepted
 * @param requiredShedKw  what the dispatch asked below the reference import when it was accepted
 * @param note            anything the operator should know (missing readings, accepted beyond the offer); empty if none
 */
record EventReport(String id, Instant start, Instant end, Instant endedAt, boolean cancelled, double importTargetKw,
        Double baselineKw, int baselineSamples, Double measuredKw, int measuredSamples, Double deliveredKw, Double deliveredKwh,
        Boolean targetMet, boolean beyondOffer, double offeredShedKw, double requiredShedKw, String note) {
}

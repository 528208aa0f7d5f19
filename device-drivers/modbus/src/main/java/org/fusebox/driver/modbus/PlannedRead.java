package org.fusebox.driver.modbus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.DataType;
import org.fusebox.api.driver.TypedValue;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.map.RegisterCodec;
import org.fusebox.driver.modbus.map.RegisterSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of channels with their read requests planned once. Executing it issues the requests and
 * decodes every channel; a request the device refuses fails only the channels inside it.
 *
 * <p>Many devices refuse a batched read that touches one unused register ("illegal data address" or
 * "illegal data value"), although every point inside answers on its own. Such a refused request that
 * covers more than one point's registers is split in halves and read again, down to single points; the
 * plan keeps the split, so the holes cost one refusal each, once, and a point that really fails is named
 * by its own request.
 */
public final class PlannedRead {

    private static final Logger LOG = LoggerFactory.getLogger(PlannedRead.class);

    private final List<Channel> channels;
    private final List<Point> points;
    private final ReadPlanner planner;
    private final Clock clock;
    // replaced (never mutated) when a refused request is split; read by lookups of the same execute()
    private volatile List<RegisterSpan> requests;

    public PlannedRead(List<Channel> channels, ReadPlanner planner, Clock clock) {
        this.channels = List.copyOf(channels);
        this.points = this.channels.stream().map(PointChannels::toPoint).toList();
        this.planner = planner;
        this.requests = planner.planPoints(points);
        this.clock = clock;
    }

    public List<Channel> channels() {
        return channels;
    }

    public List<RegisterSpan> requests() {
        return requests;
    }

    /**
     * @throws ConnectionException when the device cannot be reached; nothing partial is returned then,
     *                             because a half-read snapshot would mix old and new values
     */
    public List<ChannelRecord> execute(RegisterReader reader) throws ConnectionException {
        Map<RegisterSpan, int[]> words = new HashMap<>();
        Map<RegisterSpan, String> refusals = new HashMap<>();
        List<RegisterSpan> planned = requests;
        List<RegisterSpan> kept = new ArrayList<>(planned.size());
        for (RegisterSpan request : planned) {
            readSplitting(reader, request, words, refusals, kept);
        }
        if (kept.size() != planned.size()) {
            LOG.info("read plan split around refused registers: {} -> {}", planned, kept);
            requests = List.copyOf(kept);
        }
        Instant now = clock.instant();
        List<ChannelRecord> records = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            records.add(decode(channels.get(i), points.get(i), words, refusals, now));
        }
        return records;
    }

    /** Reads one request; a refused request over several point spans is read again in halves. */
    private void readSplitting(RegisterReader reader, RegisterSpan request, Map<RegisterSpan, int[]> words,
            Map<RegisterSpan, String> refusals, List<RegisterSpan> kept) throws ConnectionException {
        try {
            int[] reply = reader.read(request.registerType(), request.address(), request.count());
            if (reply.length != request.count()) {
                refusals.put(request, "short reply: " + reply.length + " of " + request.count() + " registers");
            } else {
                words.put(request, reply);
            }
            kept.add(request);
        } catch (ModbusReplyException e) {
            List<RegisterSpan> inside = spansInside(request);
            if (inside.size() < 2 || !splittable(e)) {
                refusals.put(request, e.getMessage());
                kept.add(request);
                return;
            }
            int half = inside.size() / 2;
            for (List<RegisterSpan> part : List.of(inside.subList(0, half), inside.subList(half, inside.size()))) {
                for (RegisterSpan smaller : planner.plan(part)) {
                    readSplitting(reader, smaller, words, refusals, kept);
                }
            }
        }
    }

    /** The distinct point spans (own and scale-factor registers) a request covers, by address. */
    private List<RegisterSpan> spansInside(RegisterSpan request) {
        return points.stream().flatMap(p -> ReadPlanner.spansOf(p).stream()).filter(request::contains).distinct()
                .sorted(java.util.Comparator.comparingInt(RegisterSpan::address).thenComparingInt(RegisterSpan::count))
                .toList();
    }

    /** Refusals that a device gives for an unmapped register inside the range; others are not about the range. */
    private static boolean splittable(ModbusReplyException e) {
        return e.exceptionCode() == 2 || e.exceptionCode() == 3;
    }

    private ChannelRecord decode(Channel channel, Point point, Map<RegisterSpan, int[]> words,
            Map<RegisterSpan, String> refusals, Instant now) {
        RegisterSpan own = new RegisterSpan(point.registerType(), point.address(), point.type().words());
        Lookup value = lookup(own, words, refusals);
        if (value.error != null) {
            return ChannelRecord.failure(channel, value.error, now);
        }
        OptionalDouble unscaled = RegisterCodec.decodeUnscaled(point.type(), point.wordOrder(), value.words);
        if (unscaled.isEmpty()) {
            return ChannelRecord.failure(channel, "no value: the device marks " + point.name() + " not implemented",
                    now);
        }
        long exponent = point.scale();
        if (point.scaleFactorAddress() != null) {
            Lookup sf = lookup(new RegisterSpan(point.registerType(), point.scaleFactorAddress(), 1), words, refusals);
            if (sf.error != null) {
                return ChannelRecord.failure(channel, "scale factor: " + sf.error, now);
            }
            OptionalLong sfValue = RegisterCodec.decodeScaleFactor(sf.words[0]);
            if (sfValue.isEmpty()) {
                return ChannelRecord.failure(channel, "no value: scale factor at " + point.scaleFactorAddress()
                        + " is not implemented or out of range", now);
            }
            exponent = sfValue.getAsLong();
        }
        TypedValue typed = PointChannels.valueType(point) == DataType.LONG
                ? TypedValue.of((long) unscaled.getAsDouble())
                : TypedValue.of(RegisterCodec.scale(unscaled.getAsDouble(), exponent));
        return ChannelRecord.success(channel, typed, now);
    }

    /** The span's words from a request that answered, else the refusal of one that covers it. */
    private static Lookup lookup(RegisterSpan span, Map<RegisterSpan, int[]> words, Map<RegisterSpan, String> refusals) {
        String refusal = null;
        for (Map.Entry<RegisterSpan, int[]> answered : words.entrySet()) {
            RegisterSpan request = answered.getKey();
            if (request.contains(span)) {
                int from = span.address() - request.address();
                int[] slice = new int[span.count()];
                System.arraycopy(answered.getValue(), from, slice, 0, span.count());
                return new Lookup(slice, null);
            }
        }
        for (Map.Entry<RegisterSpan, String> refused : refusals.entrySet()) {
            if (refused.getKey().contains(span)) {
                refusal = refused.getValue();
            }
        }
        if (refusal == null) {
            throw new IllegalStateException("no request covers " + span + "; the planner is broken");
        }
        return new Lookup(null, refusal);
    }

    private record Lookup(int[] words, String error) {
    }
}

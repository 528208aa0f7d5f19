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

/**
 * A fixed set of channels with their read requests planned once. Executing it issues the requests and
 * decodes every channel; a request the device refuses fails only the channels inside it.
 */
public final class PlannedRead {

    private final List<Channel> channels;
    private final List<Point> points;
    private final List<RegisterSpan> requests;
    private final Clock clock;

    public PlannedRead(List<Channel> channels, ReadPlanner planner, Clock clock) {
        this.channels = List.copyOf(channels);
        this.points = this.channels.stream().map(PointChannels::toPoint).toList();
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
        for (RegisterSpan request : requests) {
            try {
                int[] reply = reader.read(request.registerType(), request.address(), request.count());
                if (reply.length != request.count()) {
                    refusals.put(request, "short reply: " + reply.length + " of " + request.count() + " registers");
                } else {
                    words.put(request, reply);
                }
            } catch (ModbusReplyException e) {
                refusals.put(request, e.getMessage());
            }
        }
        Instant now = clock.instant();
        List<ChannelRecord> records = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            records.add(decode(channels.get(i), points.get(i), words, refusals, now));
        }
        return records;
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

    private Lookup lookup(RegisterSpan span, Map<RegisterSpan, int[]> words, Map<RegisterSpan, String> refusals) {
        for (RegisterSpan request : requests) {
            if (request.contains(span)) {
                int[] reply = words.get(request);
                if (reply == null) {
                    return new Lookup(null, refusals.get(request));
                }
                int from = span.address() - request.address();
                int[] slice = new int[span.count()];
                System.arraycopy(reply, from, slice, 0, span.count());
                return new Lookup(slice, null);
            }
        }
        throw new IllegalStateException("no request covers " + span + "; the planner is broken");
    }

    private record Lookup(int[] words, String error) {
    }
}

package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.fusebox.api.control.CycleReport;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.SampleCycle;
import org.fusebox.rest.view.SiteView;
import org.junit.jupiter.api.Test;

class SiteStreamTest {

    private final AtomicReference<CycleReport> last = new AtomicReference<>();
    private final ObjectMapper compact = ApiJson.newMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private final SiteStream stream = new SiteStream(() -> Optional.ofNullable(last.get()), SiteView::of, compact, 2, 5_000);

    /** A client that keeps what it got; {@code ready=false} plays a client whose socket buffer is full. */
    static final class Client implements SiteStream.Subscriber {
        final List<String> frames = new ArrayList<>();
        boolean ready = true;
        boolean gone;
        boolean closed;

        @Override
        public boolean offer(byte[] frame) {
            if (gone) {
                return false;
            }
            if (ready) {
                frames.add(new String(frame, StandardCharsets.UTF_8));
            }
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aNewClientGetsTheRetryHintAndTheLatestCycleAtOnce() throws Exception {
        last.set(SampleCycle.report());
        Client c = new Client();
        assertThat(stream.subscribe(c)).isTrue();
        assertThat(c.frames).hasSize(1);
        String frame = c.frames.get(0);
        assertThat(frame).startsWith("retry: 2000\n\nevent: site\nid: ").endsWith("\n\n");
        String data = frame.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
        JsonNode site = new ObjectMapper().readTree(data);
        assertThat(site.path("cycle").asLong()).isEqualTo(SampleCycle.report().snapshot().cycle());
        assertThat(site.path("grid").path("reading").path("currents").path("l1").has("amps")).isTrue();
    }

    @Test
    void eachCycleIsSentOnceAndHeartbeatsFillTheGaps() {
        Client c = new Client();
        stream.subscribe(c);
        assertThat(c.frames).containsExactly("retry: 2000\n\n");
        CycleReport one = SampleCycle.report();
        last.set(one);
        stream.tick(1_000);
        stream.tick(1_050);
        assertThat(c.frames).hasSize(2);
        assertThat(c.frames.get(1)).startsWith("event: site\n");
        stream.tick(5_999);
        assertThat(c.frames).hasSize(2);
        stream.tick(6_000);
        assertThat(c.frames).hasSize(3).last().isEqualTo(": keep-alive\n\n");
        last.set(SampleCycle.report());
        stream.tick(6_100);
        assertThat(c.frames).hasSize(4).last().asString().startsWith("event: site\n");
    }

    @Test
    void aSlowClientMissesFramesWithoutHoldingTheOthers() {
        Client slow = new Client();
        Client quick = new Client();
        stream.subscribe(slow);
        stream.subscribe(quick);
        slow.ready = false;
        last.set(SampleCycle.report());
        stream.tick(1_000);
        assertThat(quick.frames).hasSize(2);
        assertThat(slow.frames).hasSize(1);
        slow.ready = true;
        last.set(SampleCycle.report());
        stream.tick(2_000);
        assertThat(slow.frames).hasSize(2);
        assertThat(quick.frames).hasSize(3);
    }

    @Test
    void theNumberOfClientsIsBoundedAndAGoneClientFreesItsPlace() {
        Client a = new Client();
        Client b = new Client();
        assertThat(stream.subscribe(a)).isTrue();
        assertThat(stream.subscribe(b)).isTrue();
        assertThat(stream.subscribe(new Client())).isFalse();
        a.gone = true;
        last.set(SampleCycle.report());
        stream.tick(1_000);
        assertThat(a.closed).isTrue();
        assertThat(stream.subscriberCount()).isEqualTo(1);
        assertThat(stream.subscribe(new Client())).isTrue();
    }

    @Test
    void closeAllEndsEveryStream() {
        Client a = new Client();
        stream.subscribe(a);
        stream.closeAll();
        assertThat(a.closed).isTrue();
        assertThat(stream.subscriberCount()).isZero();
    }
}
